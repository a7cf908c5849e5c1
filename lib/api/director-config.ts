// A director as admins register it (name, agent URL, token, how its TLS certificate is trusted), and how the API
// shows it back: never with its token. LVS_AGENTS entries are listed too, read-only.
import { z } from 'zod';

/** The name in URLs and LVS_AGENTS: letters, digits, '-' and '_' (LVS_AGENTS's own rule). */
export const NewDirectorName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i, 'must be 1-32 letters, digits, - or _, starting with a letter or digit');

export const AgentUrl = z
  .string()
  .trim()
  .max(300)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http:// or https:// URL')
  .refine((s) => !URL.canParse(s) || /^\/?$/.test(new URL(s).pathname), 'must be the agent address only (no path)');

export const AgentToken = z
  .string()
  .trim()
  .min(16, 'must be at least 16 characters (the token the agent printed or wrote to its token file)')
  .max(512);

/** SHA-256 of the agent's certificate: 64 hex digits, colons optional; kept as Node prints it (AB:CD:...). */
export const CertFingerprint = z
  .string()
  .trim()
  .transform((s) => s.replace(/:/g, '').toUpperCase())
  .refine((s) => /^[0-9A-F]{64}$/.test(s), 'must be the SHA-256 fingerprint: 64 hex digits (colons optional)')
  .transform((s) => s.match(/../g)?.join(':') ?? s);

export const CaPem = z
  .string()
  .trim()
  .max(64 * 1024)
  .refine((s) => /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(s), 'must be PEM certificates');

const Trust = {
  fingerprint: CertFingerprint.optional(),
  ca: CaPem.optional(),
};

function checkTrust(d: { url?: string; fingerprint?: string; ca?: string }, ctx: z.RefinementCtx): void {
  if (d.fingerprint && d.ca)
    ctx.addIssue({ code: 'custom', path: ['ca'], message: 'give a fingerprint or a CA, not both' });
  if ((d.fingerprint || d.ca) && d.url?.startsWith('http:'))
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'a pinned certificate needs an https:// URL' });
}

export const DirectorConfigInput = z
  .object({ name: NewDirectorName, url: AgentUrl, token: AgentToken, ...Trust })
  .strict()
  .superRefine(checkTrust);
export type DirectorConfigInput = z.infer<typeof DirectorConfigInput>;

/** An edit: what is given changes; a token left out keeps the stored one; `fingerprint`/`ca` null removes it. */
export const DirectorConfigPatch = z
  .object({
    name: NewDirectorName,
    url: AgentUrl,
    token: AgentToken.optional(),
    fingerprint: CertFingerprint.nullable().optional(),
    ca: CaPem.nullable().optional(),
  })
  .strict()
  .superRefine((d, ctx) =>
    checkTrust({ url: d.url, fingerprint: d.fingerprint ?? undefined, ca: d.ca ?? undefined }, ctx),
  );
export type DirectorConfigPatch = z.infer<typeof DirectorConfigPatch>;

export const DirectorConfigView = z.object({
  name: z.string(),
  url: z.string(),
  /** registry: added in the UI (editable); env: from LVS_AGENTS (read-only). */
  source: z.enum(['registry', 'env']),
  trust: z.enum(['fingerprint', 'ca', 'system', 'none']),
  fingerprint: z.string().optional(),
  createdAt: z.number().optional(),
  createdBy: z.string().optional(),
  updatedAt: z.number().optional(),
});
export type DirectorConfigView = z.infer<typeof DirectorConfigView>;
