// A running simulated director as its control surface and its starter see it (its own module: both import it).
import type { Agent } from '../agent';
import type { HealthMonitor } from '../health/monitor';
import type { ControlledDirector } from './controlled';

export interface SimulatedAgent {
  director: ControlledDirector;
  /** The agent of the current run (a restart makes a new one). */
  readonly agent: Agent;
  /** Its health checks (of the current run). */
  readonly health: HealthMonitor;
  readonly url: string;
  token: string;
  /** The control surface's URL, when asked for. */
  controlUrl: string | null;
  readonly serving: boolean;
  readonly paused: boolean;
  /** Close the agent's server (the director keeps running) / listen again on the same port. */
  stopServing(): Promise<void>;
  startServing(): Promise<void>;
  /** Stop reading the table (the agent's view goes stale) / read again. */
  pause(): void;
  resume(): Promise<void>;
  /** A new run of the agent over the same table, on the same port: a new epoch, versions from v1 again. */
  restart(): Promise<void>;
  close(): Promise<void>;
}
