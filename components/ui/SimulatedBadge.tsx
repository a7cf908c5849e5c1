/** Marks a simulated director (no kernel behind it) wherever one is shown, so nobody mistakes it for a real one. */
export function SimulatedBadge() {
  return (
    <span
      data-testid="simulated-badge"
      title="A simulated director: an in-memory IPVS under a synthetic load, not a kernel"
      className="inline-flex items-center rounded-md bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700 ring-1 ring-violet-600/20 ring-inset dark:bg-violet-500/10 dark:text-violet-300"
    >
      simulated
    </span>
  );
}
