export * from './definitions';
export * from './exporter';
export * from './labels';
