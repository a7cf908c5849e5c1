// The part of madge's API (https://github.com/pahen/madge#api) the import-circle test uses; madge ships no types.
declare module 'madge' {
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    tsConfig?: string | object;
    excludeRegExp?: RegExp[];
  }
  interface MadgeResult {
    /** Each circle as the modules on it, in import order. */
    circular(): string[][];
    /** Every module read, with the modules it imports. */
    obj(): Record<string, string[]>;
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
