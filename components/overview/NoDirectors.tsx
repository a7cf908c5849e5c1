function Code({ children }: { children: string }) {
  return (
    <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[0.8125rem] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
      {children}
    </code>
  );
}

export function NoDirectors() {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-16 text-center dark:border-zinc-700 dark:bg-zinc-900/40">
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        aria-hidden="true"
        className="mx-auto size-10 text-zinc-400 dark:text-zinc-500"
      >
        <rect x="3" y="4" width="18" height="7" rx="1.5" />
        <rect x="3" y="13" width="18" height="7" rx="1.5" />
        <path strokeLinecap="round" d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6" />
      </svg>
      <h3 className="mt-4 text-base font-semibold text-zinc-900 dark:text-zinc-100">No director connected</h3>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Code>npm run lab</Code> starts a lab director; the <Code>LVS_AGENTS</Code> environment variable lists the
        agents to connect to.
      </p>
    </div>
  );
}
