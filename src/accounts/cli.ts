import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { isRole, ROLES } from './model.ts';
import { AccountProblem } from './problems.ts';
import { setRole } from './profile.ts';
import { createAccount } from './registration.ts';
import { cliTranslator } from '../i18n/cli.ts';
import type { Translator } from '../i18n/translator.ts';

// `parley user …`: accounts from the command line. Exit codes: 0 done, 1 refused (taken address,
// weak password, no such account), 2 bad usage.

// Words for people follow the shell's language (LANG, i18n/cli.ts); the JSON lines do not.

/** How to call `parley user`, in the shell's language. */
export const userUsage = (i18n: Translator = cliTranslator()) => i18n.t('cli.user.usage', { roles: ROLES.join('|') });
export const USER_USAGE = userUsage(cliTranslator({}));

class UsageProblem extends Error {}

/** Reads a password from the terminal with echo off. */
async function promptPassword(prompt: string, cancelled: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            return resolve(typed);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            return reject(new UsageProblem(cancelled));
          }
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing line break is the shell's, not the password's.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function create(config: Config, args: string[], { t }: Translator): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'reader' }, 'password-stdin': { type: 'boolean' } },
  });
  if (!values.email || !values.name) throw new UsageProblem(t('cli.user.createNeeds'));
  const role = values.role ?? 'reader';
  if (!isRole(role)) throw new UsageProblem(t('cli.user.roleOption', { roles: ROLES.join(', '), role }));
  let password: string;
  if (values['password-stdin']) password = await readStdin();
  else if (process.stdin.isTTY) {
    password = await promptPassword(t('cli.user.password'), t('cli.user.cancelled'));
    if ((await promptPassword(t('cli.user.passwordAgain'), t('cli.user.cancelled'))) !== password) {
      console.error(`parley: ${t('cli.user.passwordsDiffer')}`);
      return 1;
    }
  } else throw new UsageProblem(t('cli.user.noTerminal'));

  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const account = await createAccount(ctx, { email: values.email, displayName: values.name, password, role });
    console.log(JSON.stringify({ id: account.id, handle: account.handle, email: account.email, role: account.role }));
    return 0;
  } catch (error) {
    if (!(error instanceof AccountProblem)) throw error;
    // The account rules' words, in the shell's language where the catalogs have them.
    for (const p of error.problems) console.error(`parley: ${p.key ? t(p.key, p.values) : p.message}`);
    return 1;
  } finally {
    await closeContext(ctx);
  }
}

async function role(config: Config, args: string[], { t }: Translator): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [email, newRole] = positionals;
  if (!email || !newRole || positionals.length !== 2) throw new UsageProblem(t('cli.user.roleNeeds'));
  if (!isRole(newRole)) throw new UsageProblem(t('cli.user.roleArgument', { roles: ROLES.join(', '), role: newRole }));
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const account = await setRole(ctx, email, newRole);
    if (!account) {
      console.error(`parley: ${t('cli.user.noAccount', { email: email.trim().toLowerCase() })}`);
      return 1;
    }
    console.log(JSON.stringify({ id: account.id, handle: account.handle, email: account.email, role: account.role }));
    return 0;
  } finally {
    await closeContext(ctx);
  }
}

export async function userCommand(config: Config, args: string[], i18n: Translator = cliTranslator()): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'create') return await create(config, rest, i18n);
    if (sub === 'role') return await role(config, rest, i18n);
    throw new UsageProblem(sub ? i18n.t('cli.user.unknown', { command: sub }) : i18n.t('cli.user.none'));
  } catch (error) {
    if (error instanceof UsageProblem || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`parley: ${(error as Error).message}\n\n${userUsage(i18n)}`);
      return 2;
    }
    throw error;
  }
}
