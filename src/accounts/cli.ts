import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { isRole, ROLES } from './model.ts';
import { AccountProblem } from './problems.ts';
import { setRole } from './profile.ts';
import { createAccount } from './registration.ts';

// `parley user …`: accounts from the command line. Exit codes: 0 done, 1 refused (taken address,
// weak password, no such account), 2 bad usage.

export const USER_USAGE = `usage:
  parley user create --email E --name N [--role ${ROLES.join('|')}] [--password-stdin]
  parley user role E ROLE

Without --password-stdin, create asks for the password on the terminal (not echoed).`;

class UsageProblem extends Error {}

/** Reads a password from the terminal with echo off. */
async function promptPassword(prompt: string): Promise<string> {
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
            return reject(new UsageProblem('cancelled'));
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

async function create(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'reader' }, 'password-stdin': { type: 'boolean' } },
  });
  if (!values.email || !values.name) throw new UsageProblem('user create needs --email and --name');
  const role = values.role ?? 'reader';
  if (!isRole(role)) throw new UsageProblem(`--role must be one of ${ROLES.join(', ')}, not "${role}"`);
  let password: string;
  if (values['password-stdin']) password = await readStdin();
  else if (process.stdin.isTTY) {
    password = await promptPassword('Password: ');
    if ((await promptPassword('Password again: ')) !== password) {
      console.error('parley: the two passwords differ');
      return 1;
    }
  } else throw new UsageProblem('no terminal to ask for the password: pass it on standard input with --password-stdin');

  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const account = await createAccount(ctx, { email: values.email, displayName: values.name, password, role });
    console.log(JSON.stringify({ id: account.id, handle: account.handle, email: account.email, role: account.role }));
    return 0;
  } catch (error) {
    if (!(error instanceof AccountProblem)) throw error;
    for (const p of error.problems) console.error(`parley: ${p.message}`);
    return 1;
  } finally {
    await closeContext(ctx);
  }
}

async function role(config: Config, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [email, newRole] = positionals;
  if (!email || !newRole || positionals.length !== 2) throw new UsageProblem('user role needs an e-mail address and a role');
  if (!isRole(newRole)) throw new UsageProblem(`ROLE must be one of ${ROLES.join(', ')}, not "${newRole}"`);
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const account = await setRole(ctx, email, newRole);
    if (!account) {
      console.error(`parley: no account has the address ${email.trim().toLowerCase()}`);
      return 1;
    }
    console.log(JSON.stringify({ id: account.id, handle: account.handle, email: account.email, role: account.role }));
    return 0;
  } finally {
    await closeContext(ctx);
  }
}

export async function userCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'create') return await create(config, rest);
    if (sub === 'role') return await role(config, rest);
    throw new UsageProblem(sub ? `unknown user command "${sub}"` : 'user needs a command');
  } catch (error) {
    if (error instanceof UsageProblem || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`parley: ${(error as Error).message}\n\n${USER_USAGE}`);
      return 2;
    }
    throw error;
  }
}
