// A minimal SMTP server on loopback for tests: records each message (envelope and DATA);
// with `fail` set it refuses every message (554), as a mail server that is down would.
import net from 'node:net';

export interface SmtpMessage {
  from: string;
  to: string[];
  data: string;
}

export async function startSmtp(): Promise<{ url: string; messages: SmtpMessage[]; fail: boolean; close(): Promise<void> }> {
  const state = { messages: [] as SmtpMessage[], fail: false };
  const socks = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    let inData = false;
    let msg: SmtpMessage = { from: '', to: [], data: '' };
    let buf = '';
    sock.write('220 test ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) !== -1) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            if (state.fail) sock.write('554 refused\r\n');
            else {
              state.messages.push(msg);
              sock.write('250 queued\r\n');
            }
            msg = { from: '', to: [], data: '' };
          } else msg.data += line + '\r\n';
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 test\r\n');
        else if (cmd === 'MAIL') {
          msg.from = /<(.*)>/.exec(line)?.[1] ?? '';
          sock.write('250 ok\r\n');
        } else if (cmd === 'RCPT') {
          msg.to.push(/<(.*)>/.exec(line)?.[1] ?? '');
          sock.write('250 ok\r\n');
        } else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 go\r\n');
        } else if (cmd === 'QUIT') sock.end('221 bye\r\n');
        else sock.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get messages() {
      return state.messages;
    },
    get fail() {
      return state.fail;
    },
    set fail(v: boolean) {
      state.fail = v;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The decoded text/plain part of a message renderEmail made. */
export function plainPart(data: string): string {
  const m = /text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(data);
  return m ? Buffer.from(m[1].replace(/\r\n/g, ''), 'base64').toString('utf8') : '';
}
