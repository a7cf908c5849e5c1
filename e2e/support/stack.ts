// What global-setup started for a project, as the tests see it.
export interface Stack {
  /** The dashboard's base URL. */
  url: string;
  /** The director's name on that dashboard. */
  director: string;
  /** The simulated director's control surface (memory project only). */
  control?: string;
  /** The lab's state folder, where e2e/support/lab-control.ts hands requests to the VM (lab project only). */
  state?: string;
}

export function stackFor(project: string): Stack {
  const all = JSON.parse(process.env.E2E_STACKS ?? '{}') as Record<string, Stack>;
  const s = all[project];
  if (!s) throw new Error(`e2e: no stack for project ${project} (E2E_STACKS=${process.env.E2E_STACKS ?? 'unset'})`);
  return s;
}
