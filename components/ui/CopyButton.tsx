'use client';

import { useState } from 'react';
import { Button } from './Button';

/**
 * Copies a text (a command, a script) to the clipboard and says so. Where the clipboard is refused (plain http on
 * another host), it says to select the text instead.
 */
export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what: string }) {
  const [said, setSaid] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      setSaid('Copying is blocked here: select the text and copy it');
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" onClick={() => void copy()} aria-label={`${label} ${what}`}>
        {label}
      </Button>
      <span role="status" className="text-xs text-zinc-500 dark:text-zinc-400">
        {said}
      </span>
    </span>
  );
}
