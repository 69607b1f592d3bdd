import { parseArgs } from 'node:util';
import { FACT_KINDS } from '../../db/schema.js';
import { leaveDemo } from '../../demo/leave-demo.js';
import { CLI_ACTOR, type Command, UsageError } from '../command.js';

export const leaveDemoCommand: Command = async (database, args, io) => {
  const { values } = parseArgs({
    args,
    options: { 'keep-records': { type: 'boolean', default: false }, 'remove-records': { type: 'boolean', default: false } },
    strict: true,
  });
  if (values['keep-records'] === values['remove-records'])
    throw new UsageError('leave-demo needs one of --keep-records or --remove-records');
  const result = await leaveDemo(database.bulk, CLI_ACTOR, { removeRecords: values['remove-records'] });
  io.stdout.write(
    `left demo mode: removed ${result.removedAccounts.length} demo account(s)${result.removedAccounts.length ? ` (${result.removedAccounts.join(', ')})` : ''}\n`,
  );
  if (result.removedRecords) {
    const counts = FACT_KINDS.map((kind) => `${kind} ${result.removedRecords![kind]}`).join(', ');
    io.stdout.write(`removed the demo records (${counts}) and ${result.removedTargets} targets\n`);
  }
  io.stdout.write(
    result.synthetic
      ? 'the records are kept and still labelled synthetic; remove them with leave-demo --remove-records\n'
      : 'the data is no longer labelled synthetic\n',
  );
  return 0;
};
