import type { BuildOptions } from 'esbuild';

export declare const NODE_BUNDLE: BuildOptions;
export declare function connReaderWorkerSource(): Promise<string>;
export declare function agentBundleOptions(): Promise<BuildOptions>;
