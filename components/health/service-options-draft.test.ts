import { describe, expect, it } from 'vitest';
import { ServiceHealthConfig } from '@/lib/health';
import { checkServiceOptionsDraft, serviceOptionsDraftOf } from './service-options-draft';

const service = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;

describe('sorry server and quorum form draft', () => {
  it('round-trips a sorry server and a quorum with hysteresis and hooks through the draft', () => {
    const config = ServiceHealthConfig.parse({
      service,
      sorryServer: { address: '10.2.0.99', port: 8080, forward: 'route', weight: 1 },
      quorum: { minWeight: 3, hysteresis: 1, onLost: ['/usr/local/bin/page', 'lost'], onRegained: ['/bin/true'] },
    });
    expect(checkServiceOptionsDraft(serviceOptionsDraftOf(config))).toEqual({
      options: { sorryServer: config.sorryServer, quorum: config.quorum },
      errors: {},
    });
  });

  it('empty boxes mean neither a sorry server nor a quorum', () => {
    expect(checkServiceOptionsDraft(serviceOptionsDraftOf(null))).toEqual({
      options: { sorryServer: null, quorum: null },
      errors: {},
    });
  });

  it('names each bad field in the words of the form, all in one round', () => {
    const d = {
      ...serviceOptionsDraftOf(null),
      address: '10.2.0.999',
      port: '70000',
      minWeight: '2',
      hysteresis: '5',
      onLost: 'page-oncall',
    };
    expect(checkServiceOptionsDraft(d)).toEqual({
      errors: {
        address: expect.any(String),
        port: 'at most 65535',
        hysteresis: 'must be below minWeight',
        onLost: 'the program must be an absolute path',
      },
    });
  });

  it('asks for the minimum weight when only a hook is given', () => {
    const d = { ...serviceOptionsDraftOf(null), onRegained: '/bin/true' };
    expect(checkServiceOptionsDraft(d).errors).toEqual({ minWeight: 'required' });
  });
});
