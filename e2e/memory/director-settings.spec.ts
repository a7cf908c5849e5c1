// The Director panel on the simulated director: every change previewed as its ipvsadm command, applied, confirmed,
// and checked in the director's own table through its control surface (not through the dashboard).
import type { SyncDaemon, Timeouts } from '../../lib/ipvs';
import { expect, expectLive, test } from '../support/fixtures';

const directorUrl = (director: string) => `/directors/${encodeURIComponent(director)}`;

async function directorState(control: string): Promise<{ timeouts: Timeouts; daemons: SyncDaemon[] }> {
  return (await (await fetch(`${control}/state`)).json()) as { timeouts: Timeouts; daemons: SyncDaemon[] };
}

test.describe('an admin', () => {
  test.use({ role: 'admin' });

  test('changes the tcp timeout, then starts and stops the master sync daemon; the director holds each change', async ({
    page,
    stack,
    shot,
  }) => {
    const control = stack.control!;
    const settings = page.getByTestId('director-settings');
    await page.goto(directorUrl(stack.director));
    await expectLive(page);
    await expect(settings.getByTestId('timeout-tcp')).toHaveText('900 s');

    await settings.getByRole('button', { name: 'Change timeouts' }).click();
    await page.getByLabel('TCP established (seconds)').fill('600');
    await settings.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('timeouts-preview-command')).toHaveText('$ ipvsadm --set 600 120 300');
    expect((await directorState(control)).timeouts.tcp).toBe(900); // a preview changes nothing
    await shot('director-timeouts-preview');
    await page.getByTestId('timeouts-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('timeouts-outcome')).toHaveText(
      "Done: ipvsadm --set 600 120 300 — the director's table, read again, shows it.",
    );
    await expect(settings.getByTestId('timeout-tcp')).toHaveText('600 s');
    expect((await directorState(control)).timeouts).toEqual({ tcp: 600, tcpfin: 120, udp: 300 });

    const master = settings.getByTestId('daemon-master');
    await master.getByRole('button', { name: 'Start master…' }).click();
    await page.getByLabel('Interface (--mcast-interface)').fill('eth0');
    await page.getByLabel('Sync id (--syncid)').fill('300');
    await settings.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('error-daemon-syncid')).toHaveText('at most 255');
    await page.getByLabel('Sync id (--syncid)').fill('7');
    await settings.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('daemon-preview-command')).toHaveText(
      '$ ipvsadm --start-daemon master --mcast-interface eth0 --syncid 7',
    );
    await page.getByTestId('daemon-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(master.getByTestId('status')).toHaveText(
      'running on eth0, sync id 7, maxlen 1472, group 224.0.0.81:8848, ttl 1',
    );
    expect((await directorState(control)).daemons).toMatchObject([
      { state: 'master', mcastInterface: 'eth0', syncId: 7 },
    ]);
    await shot('director-daemon-running');

    await master.getByRole('button', { name: 'Stop master' }).click();
    await expect(page.getByTestId('daemon-preview-command')).toHaveText('$ ipvsadm --stop-daemon master');
    await page.getByTestId('daemon-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(master.getByTestId('status')).toHaveText('not running');
    expect((await directorState(control)).daemons).toEqual([]);

    // each change is one audit row (History) with the admin's name and the command that ran
    const audit = await page.request.get(`/api/v1/audit?director=${encodeURIComponent(stack.director)}&limit=3`);
    const { entries } = (await audit.json()) as { entries: { user: string; status: string; argv: string[][] }[] };
    expect(entries.map((e) => [e.status, e.argv[0]?.slice(1).join(' ')])).toEqual([
      ['ok', '--stop-daemon master'],
      ['ok', '--start-daemon master --mcast-interface eth0 --syncid 7'],
      ['ok', '--set 600 120 300'],
    ]);
  });

  test('a daemon on an interface the director lacks gets the kernel refusal, and nothing starts', async ({
    page,
    stack,
  }) => {
    const settings = page.getByTestId('director-settings');
    await page.goto(directorUrl(stack.director));
    await expectLive(page);
    await settings.getByTestId('daemon-backup').getByRole('button', { name: 'Start backup…' }).click();
    await page.getByLabel('Interface (--mcast-interface)').fill('eth9');
    await page.getByLabel('Sync id (--syncid)').fill('1');
    await settings.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('daemon-preview').getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('edit-error')).toContainText('No such device');
    expect((await directorState(stack.control!)).daemons).toEqual([]);
  });
});

test.describe('a viewer', () => {
  test.use({ role: 'viewer' });

  test('sees the timeouts, daemons and table size but no control', async ({ page, stack }) => {
    const settings = page.getByTestId('director-settings');
    await page.goto(directorUrl(stack.director));
    await expectLive(page);
    await expect(settings.getByTestId('timeout-tcp')).toHaveText('900 s');
    await expect(settings.getByTestId('timeout-udp')).toHaveText('300 s');
    await expect(settings.getByTestId('daemon-master').getByTestId('status')).toHaveText('not running');
    await expect(settings.getByTestId('conntab-size')).toHaveText('4,096 buckets (2^12)');
    await expect(settings.getByRole('button')).toHaveCount(0);
    await expect(settings.getByRole('textbox')).toHaveCount(0);
    await expect(settings.getByRole('combobox')).toHaveCount(0);
    await expect(settings).toContainText('View only: changing these settings needs the admin role');
  });
});
