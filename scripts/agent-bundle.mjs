// How the agent is bundled (scripts/build-agent.mjs), shared with the test that runs the inlined worker.
import { build } from 'esbuild';

export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // ws tries these optional native speed-ups inside try/catch; without them it uses its own JavaScript
  external: ['bufferutil', 'utf-8-validate'],
};

/** The connection-table reader's worker as one CommonJS script, for `new Worker(source, { eval: true })`. */
export async function connReaderWorkerSource() {
  const out = await build({
    ...NODE_BUNDLE,
    entryPoints: ['server/agent/conn-reader-worker.ts'],
    format: 'cjs',
    write: false,
    minify: true,
  });
  return out.outputFiles[0].text;
}

/** esbuild options that inline the worker into a bundle that imports server/agent/conn-reader.ts. */
export async function agentBundleOptions() {
  return {
    ...NODE_BUNDLE,
    format: 'esm',
    define: { __CONN_READER_WORKER__: JSON.stringify(await connReaderWorkerSource()) },
    // the inlined CommonJS packages (socket.io, ws, pino) call require() for node's own modules
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __lvsCreateRequire } from 'node:module';\nconst require = __lvsCreateRequire(import.meta.url);",
    },
  };
}
