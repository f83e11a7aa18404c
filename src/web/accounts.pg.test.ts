// accounts.test.ts on PostgreSQL: every test and assertion, on a fresh schema dropped afterwards
// (test/helpers/dialect.ts).
import { test } from 'node:test';
import { pgOff } from '../../test/helpers/dialect.ts';

if (pgOff) test('web accounts on PostgreSQL', { skip: 'DIGEST_TEST_PG=off' }, () => {});
else {
  process.env.DIGEST_WEB_TEST_DIALECT = 'postgres';
  await import('./accounts.test.ts');
}
