// myfeeds.test.ts on PostgreSQL: a fresh schema, dropped afterwards (test/helpers/dialect.ts).
import { test } from 'node:test';
import { pgOff } from '../../test/helpers/dialect.ts';

if (pgOff) test('personal feeds on PostgreSQL', { skip: 'DIGEST_TEST_PG=off' }, () => {});
else {
  process.env.DIGEST_WEB_TEST_DIALECT = 'postgres';
  await import('./myfeeds.test.ts');
}
