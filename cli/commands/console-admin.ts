/**
 * The console from the command line, for scripts: `charter access request|list|approve|reject|revoke`,
 * `charter audit`, `charter tenant list|show|add-user`. Each calls a running registry (`--registry`,
 * default from config) with the admin token in CHARTER_REGISTRY_TOKEN (else the `charter dev` one),
 * which the console API treats as a platform admin. Exit codes: 0 done, 1 refused (4xx), 2 could not run.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { ConsoleApiClient } from '../../schema-registry/client/console-client';
import type { RegistryResponse } from '../../schema-registry/client/registry-client';
import { TenantRegistryClient } from '../../schema-registry/client/tenant-client';
import { generatePassword } from '../../schema-registry/console/passwords';
import { cliRegistryToken } from '../registry-token';

interface Common {
  registry?: string;
  variant: string;
  json?: boolean;
}

function target(program: Command, opts: { registry?: string }): { url: string; token: string | undefined } {
  const config = loadConfig(program.opts().config);
  const url = (opts.registry ?? process.env.CHARTER_REGISTRY_URL ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`).replace(/\/+$/, '');
  return { url, token: cliRegistryToken(config.dataDir) };
}

function finish(response: RegistryResponse, json: boolean | undefined, human: (body: any) => string): void {
  const { status, body } = response;
  if (status >= 200 && status < 300) {
    process.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : `${human(body)}\n`);
    return;
  }
  process.stderr.write(`Refused (${body?.error?.code ?? status}): ${body?.error?.message ?? 'no message'}\n`);
  process.exitCode = status >= 400 && status < 500 ? 1 : 2;
}

async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    process.stderr.write(`charter: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}

const requestLine = (r: any): string =>
  `${r.id}  ${r.status.padEnd(8)} ${r.tenant.padEnd(10)} ${r.coordinates.join(',')}  by ${r.requestedBy}${r.decidedBy ? `; decided by ${r.decidedBy}` : ''}${r.policyVersion !== undefined ? `; policy version ${r.policyVersion}` : ''}${r.revokedPolicyVersion !== undefined ? `; revoked in ${r.revokedPolicyVersion}` : ''}`;

export function register(program: Command): void {
  const withCommon = (cmd: Command): Command =>
    cmd.option('-r, --registry <url>', 'registry URL (default: CHARTER_REGISTRY_URL or the config)').option('--variant <name>', 'variant', 'prod').option('--json', 'print the registry answer as JSON');
  const consoleOf = (opts: Common): ConsoleApiClient => {
    const t = target(program, opts);
    return new ConsoleApiClient(t.url, t.token);
  };

  const access = program.command('access').description('access requests: a tenant asks for fields; an approval becomes a new policy version');
  withCommon(access.command('request').description('ask access to fields for a tenant'))
    .requiredOption('--tenant <id>', 'the tenant')
    .requiredOption('--field <Type.field...>', 'fields (repeat or list)')
    .requiredOption('--reason <text>', 'why the tenant needs them')
    .action((opts: Common & { tenant: string; field: string[]; reason: string }) =>
      guarded(async () => finish(await consoleOf(opts).createRequest(opts.variant, { tenant: opts.tenant, coordinates: opts.field.flatMap((f) => f.split(',')), reason: opts.reason }), opts.json, (b) => `Requested: ${requestLine(b.request)}`)),
    );
  withCommon(access.command('list').description('list access requests, newest first'))
    .option('--status <status>', 'pending, approved, rejected or revoked')
    .option('--tenant <id>', 'only this tenant')
    .action((opts: Common & { status?: string; tenant?: string }) =>
      guarded(async () => finish(await consoleOf(opts).listRequests(opts.variant, { status: opts.status, tenant: opts.tenant }), opts.json, (b) => (b.requests.length ? b.requests.map(requestLine).join('\n') : 'No access requests'))),
    );
  for (const decision of ['approve', 'reject', 'revoke'] as const) {
    withCommon(access.command(`${decision} <id>`).description(`${decision} an access request${decision === 'reject' ? '' : ' (writes a new version of the tenant policy)'}`))
      .option('--comment <text>', 'a comment kept with the decision')
      .action((id: string, opts: Common & { comment?: string }) => guarded(async () => finish(await consoleOf(opts).decide(opts.variant, id, decision, opts.comment), opts.json, (b) => `Done: ${requestLine(b.request)}`)));
  }

  withCommon(program.command('audit').description('read the audit log, newest first (JSON lines with --jsonl)'))
    .option('-n, --limit <n>', 'how many', (v) => Number(v), 50)
    .option('--action <action>', 'only this action (login, access-request.approve, policy.version, …)')
    .option('--tenant <id>', 'only this tenant')
    .option('--jsonl', 'one JSON entry per line (for export)')
    .action((opts: Common & { limit: number; action?: string; tenant?: string; jsonl?: boolean }) =>
      guarded(async () => {
        const res = await consoleOf(opts).audit({ limit: opts.limit, action: opts.action, tenant: opts.tenant });
        finish(res, opts.json, (b) =>
          opts.jsonl ? b.entries.map((e: unknown) => JSON.stringify(e)).join('\n') : b.entries.map((e: any) => `${String(e.id).padStart(6)}  ${e.at}  ${e.actor.padEnd(22)} ${e.action.padEnd(24)} ${e.target ?? ''}${e.tenant ? `  [${e.tenant}]` : ''}`).join('\n') || 'No entries',
        );
      }),
    );

  const tenant = program.command('tenant').description('tenants in the registry and their console users');
  withCommon(tenant.command('list').description("list the registry's tenants"))
    .action((opts: Common) =>
      guarded(async () => {
        const t = target(program, opts);
        const set = await new TenantRegistryClient(t.url, t.token).fetchTenants(opts.variant);
        process.stdout.write(opts.json ? `${JSON.stringify(set, null, 2)}\n` : `${set!.tenants.map((x) => `${x.id.padEnd(14)} version ${x.version}  ${x.apiKeys.length} key(s)${x.description ? `  ${x.description}` : ''}`).join('\n') || 'No tenants in the registry'}\n`);
      }),
    );
  withCommon(tenant.command('show <id>').description("a tenant's record (keys as hashes) and policy"))
    .action((id: string, opts: Common) =>
      guarded(async () => {
        const t = target(program, opts);
        finish(await new TenantRegistryClient(t.url, t.token).getTenant(opts.variant, id), true, () => '');
      }),
    );
  withCommon(tenant.command('add-user <tenant> <username>').description('create a console user of a tenant; prints its generated password once'))
    .option('--admin', 'a tenant admin (also a member) instead of a member')
    .action((tenantId: string, username: string, opts: Common & { admin?: boolean }) =>
      guarded(async () => {
        const password = generatePassword();
        const roles = [{ role: 'tenant-member', tenant: tenantId }, ...(opts.admin ? [{ role: 'tenant-admin', tenant: tenantId }] : [])];
        const res = await consoleOf(opts).createUser({ username, password, roles });
        // The password exists nowhere else: JSON output carries it too.
        if (res.status === 201 && opts.json) res.body = { ...res.body, password };
        finish(res, opts.json, (b) => `Created console user ${b.user.username} (${opts.admin ? 'admin' : 'member'} of ${tenantId}); password, shown once: ${password}`);
      }),
    );
}
