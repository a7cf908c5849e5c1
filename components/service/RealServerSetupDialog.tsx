'use client';

import { useState } from 'react';
import { TextField } from '@/components/ui/Field';
import { CopyButton } from '@/components/ui/CopyButton';
import { Dialog } from '@/components/ui/Dialog';
import { FORWARD_LABEL } from '@/components/ipvs/describe';
import { destinationId, serviceId, serviceKey, type Destination, type Service } from '@/lib/ipvs';
import { rsSetupFor, type RsMode, type RsSetupDraft } from './rs-setup';

const WHAT: Record<RsMode, string> = {
  dr: 'Direct routing: the real server must accept packets for the VIP without answering ARP for it. The script puts each VIP on lo as a /32 (/128) and sets arp_ignore=1 and arp_announce=2 on all and the outgoing interface.',
  tun: 'IP tunnel: the real server decapsulates the packets the director tunnels to it. The script brings the tunnel device up with each VIP, turns rp_filter off for it, and hides the VIPs from ARP.',
  nat: 'NAT: nothing to add on the real server, but its replies must go back through the director, so its default gateway must be the director. The script checks that and says how to fix it.',
};

function Script({ id, title, text }: { id: string; title: string; text: string }) {
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-1.5">
      <div className="flex items-center gap-2">
        <h3 id={`${id}-title`} className="text-sm font-semibold">
          {title}
        </h3>
        <CopyButton text={text} what={title.toLowerCase()} />
      </div>
      <pre
        tabIndex={0}
        data-testid={id}
        className="max-h-60 overflow-auto rounded-md bg-zinc-100 p-2 font-mono text-xs leading-5 dark:bg-zinc-800"
      >
        {text}
      </pre>
    </section>
  );
}

/** The set-up script for one real server (run as root on it) and the script that undoes it, ready to copy. */
export function RealServerSetupDialog({
  service,
  destination,
  onClose,
}: {
  service: Service;
  destination: Destination;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<RsSetupDraft>({ vips: '', gateway: '' });
  const { setup, error } = rsSetupFor(service, destination, draft);
  const fwmark = service.protocol === 'fwmark';
  const nat = destination.forward === 'masq';
  return (
    <Dialog
      open
      onClose={onClose}
      width="lg"
      testId="rs-setup"
      title={`Set up real server ${destinationId(destination)}`}
      description={
        <>
          <span className="font-mono">{serviceId(serviceKey(service))}</span> ·{' '}
          {FORWARD_LABEL[destination.forward].long}
        </>
      }
    >
      <div className="space-y-4 text-sm">
        {setup && <p className="text-zinc-700 dark:text-zinc-300">{WHAT[setup.mode]}</p>}
        {(fwmark || nat) && (
          <div className="grid grid-cols-2 gap-3">
            {fwmark && (
              <TextField
                id="rs-setup-vips"
                label="VIPs (a fwmark service has no address of its own)"
                hint="the addresses clients connect to, separated by spaces"
                value={draft.vips}
                error={error?.field === 'vips' ? error.message : null}
                onChange={(e) => setDraft({ ...draft, vips: e.target.value })}
                spellCheck={false}
              />
            )}
            {nat && (
              <TextField
                id="rs-setup-gateway"
                label="The director's address on this network (optional)"
                hint="the script then checks the default gateway is exactly it"
                value={draft.gateway}
                error={error?.field === 'gateway' ? error.message : null}
                onChange={(e) => setDraft({ ...draft, gateway: e.target.value })}
                spellCheck={false}
              />
            )}
          </div>
        )}
        {error && error.field === null && <p className="text-zinc-600 dark:text-zinc-400">{error.message}.</p>}
        {setup && (
          <>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              Run as root on {destination.address}: <code className="font-mono">sh setup.sh</code>. Running it twice
              changes nothing; it survives a reboot (a sysctl.d file and a systemd unit). The same script comes from{' '}
              <code className="font-mono" data-testid="rs-setup-command">
                {setup.command}
              </code>
              .
            </p>
            <Script id="rs-setup-script" title="Set-up script" text={setup.script} />
            <Script id="rs-setup-undo" title="Undo script" text={setup.undo} />
          </>
        )}
      </div>
    </Dialog>
  );
}
