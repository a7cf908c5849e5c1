export * from './cached-exporter';
export * from './definitions';
export * from './exporter';
export * from './labels';
export * from './pair-drift';
