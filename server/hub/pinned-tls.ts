// Trusting an agent's certificate by its SHA-256 fingerprint (a self-signed certificate pinned without a copy of
// it): the TLS connection is handed to the HTTP request only after the fingerprint matched, so the token in the
// WebSocket upgrade is never written to a server that is not the pinned one.
import { Agent } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';

export class FingerprintMismatch extends Error {
  readonly code = 'ERR_TLS_CERT_NOT_PINNED';
}

export class PinnedAgent extends Agent {
  constructor(private readonly fingerprint: string) {
    super({ keepAlive: false });
  }

  override createConnection(options: ConnectionOptions, done?: (err: Error | null, socket: Duplex) => void): undefined {
    // the chain is not checked against CAs: the pin alone decides (a self-signed certificate has no CA)
    const socket = connect({ ...options, rejectUnauthorized: false });
    const fail = (err: Error) => {
      socket.destroy();
      done?.(err, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const seen = socket.getPeerCertificate().fingerprint256;
      if (seen === this.fingerprint) return done?.(null, socket);
      fail(
        new FingerprintMismatch(`certificate fingerprint ${seen ?? '(none)'} is not the pinned ${this.fingerprint}`),
      );
    });
    return undefined;
  }
}
