'use client';

import { useState } from 'react';
import type { TableId } from '@/lib/ipvs';
import { Button } from '@/components/ui/Button';
import { SelectField } from '@/components/ui/Field';
import { serviceId, serviceKey, type Edit, type Service } from '@/lib/ipvs';
import { EditPreview, OutcomeLine } from './EditPreview';
import { outcomeText, zeroEdit } from './director-edits';

const ALL = '';

/** ipvsadm -Z for one service or all of them (operators): counters since zeroed start again from 0; rates go on. */
export function ZeroCountersSection({
  director,
  table,
  services,
}: {
  director: string;
  table: TableId;
  services: Service[];
}) {
  const [target, setTarget] = useState(ALL);
  const [preview, setPreview] = useState<Edit | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const byId = new Map(services.map((s) => [serviceId(serviceKey(s)), s]));
  function open() {
    const s = byId.get(target);
    setOutcome(null);
    setPreview(zeroEdit(s ? serviceKey(s) : undefined));
  }
  return (
    <section aria-labelledby="zero-heading" className="space-y-3" data-testid="zero-section">
      <h3 id="zero-heading" className="text-sm font-semibold">
        Zero counters
      </h3>
      <div className="flex items-end gap-2">
        <SelectField
          id="zero-target"
          label="Which counters"
          className="min-w-64"
          value={target}
          onChange={(e) => (setTarget(e.target.value), setPreview(null))}
        >
          <option value={ALL}>every service and real server</option>
          {[...byId.keys()].map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </SelectField>
        <Button onClick={open} disabled={preview !== null}>
          Zero counters…
        </Button>
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        The totals since zeroed (connections, packets, bytes) start from 0; rates, weights and connections are kept.
      </p>
      {preview && (
        <EditPreview
          director={director}
          table={table}
          edit={preview}
          testId="zero-preview"
          onBack={() => setPreview(null)}
          onApplied={(o) => (setOutcome(outcomeText(o)), setPreview(null))}
        />
      )}
      <OutcomeLine text={outcome} testId="zero-outcome" />
    </section>
  );
}
