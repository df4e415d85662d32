import type { Command } from 'commander';
import { describeIgnored, expandTargets, ignoredTotal, probeNetwork, resolveInterfaces, type DiscoveredDevice } from '../../discovery/index.js';
import { UsageError } from '../../errors/index.js';
import { commandContext } from '../context.js';
import { table } from '../table.js';

interface DiscoverOptions {
  config?: string;
  timeout?: string;
  interface: string[];
  target: string[];
  scope: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function jsonLine(d: DiscoveredDevice): string {
  return JSON.stringify({
    address: d.address,
    endpointReference: d.endpoint,
    xaddr: d.xaddr ?? null,
    xaddrRewritten: d.xaddrRewritten,
    xaddrs: d.xaddrs,
    name: d.name ?? null,
    hardware: d.hardware ?? null,
    location: d.location ?? null,
    profiles: d.profiles,
    macAddress: d.macAddress ?? null,
    serialNumber: d.serialNumber ?? null,
    types: d.types,
    scopes: d.scopes,
    metadataVersion: d.metadataVersion ?? null,
    interface: d.interface,
    via: d.via,
  });
}

export function registerDiscoverCommand(program: Command): void {
  program
    .command('discover')
    .description('find ONVIF devices with WS-Discovery: multicast Probe on each interface, unicast Probe to --target hosts')
    .option('-c, --config <file>', 'configuration file (discovery.interfaces, targets and probeTimeoutSeconds are the defaults)')
    .option('--timeout <seconds>', 'how long to collect answers (default: discovery.probeTimeoutSeconds, 3)')
    .option('--interface <address>', 'IPv4 address or name of an interface to probe on; repeatable (default: every non-loopback IPv4 interface)', collect, [])
    .option('--target <host|cidr>', 'host or CIDR range probed by unicast on port 3702 (HOST:PORT for another port); repeatable', collect, [])
    .option('--scope <uri>', 'only devices with this scope, e.g. onvif://www.onvif.org/location/lobby; repeatable', collect, [])
    .option('--json', 'one JSON object per device (JSON lines) instead of a table')
    .addHelpText(
      'after',
      '\nWith --target and no --interface, only the targets are probed (no multicast).\n' +
        'Examples:\n  vigie discover\n  vigie discover --interface 192.168.1.10 --timeout 5\n  vigie discover --target 10.20.0.0/24 --json',
    )
    .action(async (o: DiscoverOptions) => {
      const { config, logger } = await commandContext(o.config);
      const seconds = o.timeout === undefined ? config.discovery.probeTimeoutSeconds : Number(o.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300) throw new UsageError(`--timeout must be a number of seconds from 0 to 300, not "${o.timeout}"`);
      const requestedInterfaces = o.interface.length ? o.interface : config.discovery.interfaces;
      const targetSpecs = o.target.length ? o.target : o.interface.length ? [] : config.discovery.targets;
      const targets = await expandTargets(targetSpecs);
      const unicastOnly = targets.length > 0 && requestedInterfaces.length === 0;
      const interfaces = unicastOnly ? [] : resolveInterfaces(requestedInterfaces);
      const where = [interfaces.length ? `multicast on ${interfaces.map((i) => i.address).join(', ')}` : '', targets.length ? `unicast to ${targets.length} address(es)` : ''].filter(Boolean).join(' and ');
      process.stderr.write(`probing ${where} for ${seconds} s\n`);
      const result = await probeNetwork({ interfaces, targets, timeoutMs: seconds * 1000, scopes: o.scope, logger: logger.child({ component: 'discovery' }) });
      if (o.json) {
        for (const d of result.devices) process.stdout.write(`${jsonLine(d)}\n`);
      } else if (result.devices.length > 0) {
        process.stdout.write(
          table(
            ['ADDRESS', 'NAME', 'HARDWARE', 'LOCATION', 'PROFILES', 'XADDR', 'ENDPOINT'],
            result.devices.map((d) => [d.address, d.name ?? '', d.hardware ?? '', d.location ?? '', d.profiles.join(','), `${d.xaddr ?? '(none announced)'}${d.xaddrRewritten ? ' *' : ''}`, d.endpoint]),
          ),
        );
        if (result.devices.some((d) => d.xaddrRewritten)) process.stdout.write('* announced XAddr not on the address that answered (factory default, link-local or NAT): the answering address is used\n');
      }
      const ignored = ignoredTotal(result.stats);
      process.stderr.write(
        `${result.devices.length} device(s) found in ${(result.durationMs / 1000).toFixed(1)} s; ${result.stats.received} answer(s) received, ${ignored} ignored${ignored ? ` (${describeIgnored(result.stats)})` : ''}\n`,
      );
    });
}
