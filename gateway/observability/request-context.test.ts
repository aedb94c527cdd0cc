import type http from 'node:http';
import pino from 'pino';
import { requestId, requestLogger } from './request-context';

const req = (id?: string): http.IncomingMessage => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as http.IncomingMessage;

describe('request ids', () => {
  it('honours a sane incoming x-request-id', () => {
    expect(requestId(req('abc-123_DEF.4:5'))).toBe('abc-123_DEF.4:5');
  });

  it.each([['missing', undefined], ['empty', ''], ['too long', 'a'.repeat(129)], ['with a newline', 'abc\ninjected'], ['with spaces', 'a b']])('generates one when the incoming id is %s', (_, id) => {
    const generated = requestId(req(id));
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestId(req(id))).not.toBe(generated);
  });

  it('puts the id on every line of the request logger', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    requestLogger(logger, 'req-1', { tenant: 'acme' }).info('served');
    expect(JSON.parse(lines[0]!)).toMatchObject({ reqId: 'req-1', tenant: 'acme', msg: 'served' });
  });
});
