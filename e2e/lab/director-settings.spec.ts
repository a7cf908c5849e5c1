// The Director panel on the lab's real kernel: each change an admin applies is read back from the kernel by an
// ipvsadm of the guest's own (lab-control), not through the agent; a viewer sees the kernel's values and no control.
import { expect, expectLive, edit, test } from '../support/fixtures';
import { askGuest } from '../support/lab-control';
import type { Stack } from '../support/stack';

const directorUrl = (director: string) => `/directors/${encodeURIComponent(director)}`;

/** `ipvsadm -L --timeout`: "Timeout (tcp tcpfin udp): 900 120 300". */
async function kernelTimeouts(stack: Stack): Promise<{ tcp: number; tcpfin: number; udp: number }> {
  const out = await askGuest(stack, 'ipvsadm -L --timeout');
  const m = /Timeout \(tcp tcpfin udp\): (\d+) (\d+) (\d+)/.exec(out);
  if (!m) throw new Error(`ipvsadm -L --timeout: unexpected output ${JSON.stringify(out)}`);
  return { tcp: Number(m[1]), tcpfin: Number(m[2]), udp: Number(m[3]) };
}

/** `ipvsadm -L --daemon`: one line per running daemon, nothing when none runs. */
const kernelDaemons = async (stack: Stack) => (await askGuest(stack, 'ipvsadm -L --daemon')).trim();

test.describe('an admin', () => {
  test.use({ role: 'admin' });

  let before: { tcp: number; tcpfin: number; udp: number } | undefined;
  test.afterEach(async ({ stack }) => {
    // the kernel's table outlives the test: its timeouts back, and no daemon left running (either may not have moved)
    await edit(stack.url, stack.director, { kind: 'stop-daemon', state: 'master' });
    if (before) await edit(stack.url, stack.director, { kind: 'set-timeouts', timeouts: before });
    if (before) expect(await kernelTimeouts(stack)).toEqual(before);
  });

  test('changes the tcp timeout, starts and stops the master sync daemon; the kernel shows each change', async ({
    page,
    stack,
    shot,
  }) => {
    before = await kernelTimeouts(stack);
    expect(await kernelDaemons(stack)).toBe('');
    const tcp = before.tcp === 600 ? 700 : 600;
    const settings = page.getByTestId('director-settings');
    await page.goto(directorUrl(stack.director));
    await expectLive(page, 60_000);
    await expect(settings.getByTestId('timeout-tcp')).toHaveText(`${before.tcp} s`);

    await settings.getByRole('button', { name: 'Change timeouts' }).click();
    await page.getByLabel('TCP established (seconds)').fill(String(tcp));
    await settings.getByRole('button', { name: 'Preview' }).click();
    const set = `ipvsadm --set ${tcp} ${before.tcpfin} ${before.udp}`;
    await expect(page.getByTestId('timeouts-preview-command')).toHaveText(`$ ${set}`);
    await page.getByTestId('timeouts-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('timeouts-outcome')).toHaveText(
      `Done: ${set} — the director's table, read again, shows it.`,
    );
    await expect(settings.getByTestId('timeout-tcp')).toHaveText(`${tcp} s`);
    expect(await kernelTimeouts(stack)).toEqual({ ...before, tcp });

    // lan0: the lab's client network on the director (a bridge, multicast-capable)
    const master = settings.getByTestId('daemon-master');
    await master.getByRole('button', { name: 'Start master…' }).click();
    await page.getByLabel('Interface (--mcast-interface)').fill('lan0');
    await page.getByLabel('Sync id (--syncid)').fill('7');
    await settings.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('daemon-preview-command')).toHaveText(
      '$ ipvsadm --start-daemon master --mcast-interface lan0 --syncid 7',
    );
    await page.getByTestId('daemon-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(master.getByTestId('status')).toHaveText(/^running on lan0, sync id 7\b/);
    expect(await kernelDaemons(stack)).toMatch(/^master sync daemon \(mcast=lan0, syncid=7\b/);
    await shot('director-daemon-running');

    await master.getByRole('button', { name: 'Stop master' }).click();
    await expect(page.getByTestId('daemon-preview-command')).toHaveText('$ ipvsadm --stop-daemon master');
    await page.getByTestId('daemon-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(master.getByTestId('status')).toHaveText('not running');
    expect(await kernelDaemons(stack)).toBe('');
  });
});

test.describe('a viewer', () => {
  test.use({ role: 'viewer' });

  test("sees the kernel's timeouts and daemon state but no control", async ({ page, stack }) => {
    const kernel = await kernelTimeouts(stack);
    const settings = page.getByTestId('director-settings');
    await page.goto(directorUrl(stack.director));
    await expectLive(page, 60_000);
    await expect(settings.getByTestId('timeout-tcp')).toHaveText(`${kernel.tcp} s`);
    await expect(settings.getByTestId('timeout-udp')).toHaveText(`${kernel.udp} s`);
    await expect(settings.getByTestId('daemon-master').getByTestId('status')).toHaveText('not running');
    await expect(settings.getByRole('button')).toHaveCount(0);
    await expect(settings.getByRole('textbox')).toHaveCount(0);
    await expect(settings.getByRole('combobox')).toHaveCount(0);
    await expect(settings).toContainText('View only: changing these settings needs the admin role');
  });
});
