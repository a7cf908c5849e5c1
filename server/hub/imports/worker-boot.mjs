// Starts the TypeScript import worker in its thread: the dashboard runs its sources through tsx, and a worker thread
// does not inherit the parent's loader, so it registers tsx itself before loading the worker.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
