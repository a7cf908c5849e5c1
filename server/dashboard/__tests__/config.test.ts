import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';

describe('dashboard settings', () => {
  it('has safe defaults: loopback, port 3000, the database under ./data, no proxy trusted', () => {
    expect(loadConfig({}, [], '/srv/lvs')).toEqual({
      dev: false,
      port: 3000,
      hostname: '127.0.0.1',
      nodeEnv: 'production',
      dbFile: '/srv/lvs/data/lvs-dashboard.db',
      adminPassword: undefined,
      trustedProxies: [],
      extraOrigins: [],
      setupRemote: false,
    });
  });

  it('reads the data folder, first admin password, proxy trust and extra origins', () => {
    const c = loadConfig(
      {
        LVS_DATA_DIR: '/var/lib/lvs',
        LVS_ADMIN_PASSWORD: 'a long password',
        LVS_TRUST_PROXY: '1',
        LVS_ORIGINS: 'https://lvs.example.net, http://10.0.0.5:3000',
        LVS_SETUP_REMOTE: '1',
      },
      [],
      '/x',
    );
    expect(c).toMatchObject({
      dbFile: '/var/lib/lvs/lvs-dashboard.db',
      adminPassword: 'a long password',
      trustedProxies: ['127.0.0.0/8', '::1'],
      extraOrigins: ['https://lvs.example.net', 'http://10.0.0.5:3000'],
      setupRemote: true,
    });
  });

  it('trusts only the proxies LVS_TRUST_PROXY names; 1 means a proxy on this host, 0 none', () => {
    const proxies = (v: string) => loadConfig({ LVS_TRUST_PROXY: v }, []).trustedProxies;
    expect(proxies('10.0.0.5, 10.0.1.0/24,fd00::7')).toEqual(['10.0.0.5', '10.0.1.0/24', 'fd00::7']);
    expect(proxies('1')).toEqual(['127.0.0.0/8', '::1']);
    expect(proxies('0')).toEqual([]);
  });

  it('names the variable and the reason for bad values', () => {
    expect(() => loadConfig({ LVS_ADMIN_PASSWORD: 'password12' }, [])).toThrow(
      /^LVS_ADMIN_PASSWORD: too easy to guess: this is a commonly used password/,
    );
    expect(() => loadConfig({ LVS_ADMIN_PASSWORD: 'short' }, [])).toThrow(
      'LVS_ADMIN_PASSWORD: must be at least 10 characters',
    );
    expect(() => loadConfig({ LVS_TRUST_PROXY: 'yes' }, [])).toThrow(
      /^LVS_TRUST_PROXY: comma-separated proxy addresses/,
    );
    expect(() => loadConfig({ LVS_TRUST_PROXY: '10.0.0.0/33' }, [])).toThrow(/^LVS_TRUST_PROXY: /);
    expect(() => loadConfig({ LVS_ORIGINS: 'lvs.example.net' }, [])).toThrow(/^LVS_ORIGINS: comma-separated origins/);
    expect(() => loadConfig({ PORT: '70000' }, [])).toThrow('PORT: must be at most 65535');
    expect(() => loadConfig({}, ['--verbose'])).toThrow(/unknown argument --verbose/);
  });
});
