import { describe, expect, it } from 'vitest';
import { keepalivedDirectorNotice, keepalivedEditWarning, keepalivedOwns } from './keepalived-owner';

const owning = { keepalived: { services: ['tcp/10.1.0.10:80'] } };
const unknown = { keepalived: { services: null, reason: 'cannot read /etc/keepalived/keepalived.conf: EACCES' } };

describe('keepalived ownership notices', () => {
  it('say nothing while keepalived does not run', () => {
    expect(keepalivedOwns({}, 'tcp/10.1.0.10:80')).toBeNull();
    expect(keepalivedDirectorNotice({})).toBeNull();
    expect(keepalivedEditWarning({}, 'tcp/10.1.0.10:80')).toBeNull();
  });

  it("name keepalived's services and warn before editing one of them only", () => {
    expect(keepalivedDirectorNotice(owning)).toBe(
      'keepalived runs on this director and owns 1 service(s): tcp/10.1.0.10:80. An edit of those: keepalived will undo this on its next reload/check.',
    );
    expect(keepalivedEditWarning(owning, 'tcp/10.1.0.10:80')).toBe(
      'keepalived owns this service: keepalived will undo this on its next reload/check.',
    );
    expect(keepalivedEditWarning(owning, 'udp/10.1.0.10:53')).toBeNull();
  });

  it('say keepalived runs and ownership is unknown when its configuration could not be read', () => {
    expect(keepalivedDirectorNotice(unknown)).toBe(
      'keepalived runs on this director; which services it owns is unknown (cannot read /etc/keepalived/keepalived.conf: EACCES).',
    );
    expect(keepalivedEditWarning(unknown, 'udp/10.1.0.10:53')).toMatch(/may own this service/);
  });
});
