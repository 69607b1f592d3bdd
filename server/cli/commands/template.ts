import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TemplateQuerySchema } from '../../../contract/schemas/records.js';
import { importTemplate } from '../../imports/import-template.js';
import { findUserByEmail } from '../../users/users.service.js';
import { checkedUsage, type Command, KIND, Refused, UsageError } from '../command.js';

/**
 * `template <kind> [--format xlsx|csv] [--lang en|zh] [--out FILE] [--as EMAIL]`: the file to fill
 * in and import, as `GET /imports/:kind/template` gives it. A workbook needs --out; the CSV header
 * goes to standard output without it. --as a steward lists that steward's own university only.
 */
export const templateCommand: Command = async (database, args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('template needs a kind: template <kind>');
  const kind = checkedUsage(KIND, positionals[0], 'the kind');
  const query = checkedUsage(
    TemplateQuerySchema,
    { ...(values.format ? { format: values.format } : {}), ...(values.lang ? { lang: values.lang } : {}) },
    'the template',
  );
  // A workbook is a file (a zip archive), not lines for a terminal or a pipe.
  if (query.format === 'xlsx' && !values.out) throw new UsageError('template --format xlsx needs --out FILE.xlsx');
  let ownUniversity: string | null = null;
  if (values.as) {
    const user = await findUserByEmail(database.db, values.as);
    if (!user || user.disabled) throw new Refused(`there is no active user ${values.as}`);
    if (user.role !== 'admin' && user.role !== 'steward')
      throw new Refused(`${user.email} is ${user.role}: only an admin or a steward may import`);
    ownUniversity = user.role === 'steward' ? user.university_code : null;
  }
  const file = await importTemplate(database.db, { kind, format: query.format, lang: query.lang, ownUniversity });
  if (!values.out) {
    io.stdout.write(file.bytes);
    return 0;
  }
  try {
    await writeFile(values.out, file.bytes);
  } catch (error) {
    throw new UsageError(`cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  io.stderr.write(`wrote the ${kind} template to ${values.out}\n`);
  return 0;
};
