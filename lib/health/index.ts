export * from './config';
export * from './machine';
export * from './plan';
export * from './dns';
export * from './view';
export * from './edit';
export * from './http-response';
