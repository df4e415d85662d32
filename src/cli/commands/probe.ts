import type { Command } from 'commander';
import { modelInputSize } from '../../app/index.js';
import { OnvifAuthError, UsageError } from '../../errors/index.js';
import { AUTH_LABEL, loadVendorProfiles, onboardDevice, parseDeviceUrl, type OnboardingReport, type OnvifCredentials } from '../../onvif/index.js';
import { commandContext } from '../context.js';
import { table } from '../table.js';

interface ProbeOptions {
  config?: string;
  user?: string;
  password?: string;
  profile?: string;
  timeout: string;
  json?: boolean;
}

function offset(ms: number | undefined): string {
  if (ms === undefined) return 'unknown';
  const s = ms / 1000;
  const text = `${s >= 0 ? '+' : ''}${s.toFixed(1)} s`;
  const a = Math.abs(s);
  if (a < 7200) return text;
  const [d, h, m] = [Math.floor(a / 86400), Math.floor((a % 86400) / 3600), Math.floor((a % 3600) / 60)];
  return `${text} (${d ? `${d} d ` : ''}${h} h ${m} min ${s > 0 ? 'ahead' : 'behind'})`;
}

export function reportJson(report: OnboardingReport): Record<string, unknown> {
  return {
    device: report.device,
    identity: report.identity,
    vendor: report.vendor,
    clock: { offsetSeconds: report.clock.offsetMs === undefined ? null : report.clock.offsetMs / 1000, source: report.clock.source, dateTimeType: report.clock.dateTimeType ?? null, timeZone: report.clock.timeZone ?? null },
    auth: { mode: report.auth.mode, username: report.auth.username ?? null, digestAlgorithm: report.auth.digestAlgorithm ?? null },
    services: { from: report.services.from, device: report.services.device, media: report.services.media ?? null, media2: report.services.media2 ?? null, events: report.services.events ?? null },
    media: report.media,
    profiles: report.profiles.map((p) => ({
      token: p.token,
      name: p.name,
      encoding: p.encoding ?? null,
      width: p.width ?? null,
      height: p.height ?? null,
      fps: p.fps ?? null,
      bitrateKbps: p.bitrateKbps ?? null,
      streamUri: p.streamUri ?? null,
      snapshotUri: p.snapshotUri ?? null,
      problems: p.problems,
    })),
    analyse: report.chosen ? { token: report.chosen.profile.token, reason: report.chosen.reason } : null,
    notes: report.notes,
  };
}

export function reportText(report: OnboardingReport): string {
  const id = report.identity;
  const lines = [
    `device    ${report.device}`,
    `identity  ${[id.manufacturer, id.model].filter(Boolean).join(' ') || '(not given)'}; firmware ${id.firmwareVersion || '?'}; serial ${id.serialNumber || '?'}; hardware ${id.hardwareId || '?'}`,
    `vendor    ${report.vendor.id === '_default' ? 'no vendor profile (generic ONVIF)' : `${report.vendor.id}: ${report.vendor.title}`}`,
    `clock     camera ${offset(report.clock.offsetMs)} from this machine (${report.clock.source}${report.clock.dateTimeType ? `, ${report.clock.dateTimeType}` : ''}${report.clock.timeZone ? `, TZ ${report.clock.timeZone}` : ''})`,
    `auth      ${AUTH_LABEL[report.auth.mode]}${report.auth.digestAlgorithm ? ` (${report.auth.digestAlgorithm})` : ''}${report.auth.username ? ` as ${report.auth.username}` : ''}`,
    `media     ${report.media === 'media2' ? 'Media2 (ver20)' : 'Media (ver10)'}; services from ${report.services.from}`,
    'profiles',
  ];
  const rows = report.profiles.map((p) => [
    `${report.chosen?.profile.token === p.token ? '*' : ' '} ${p.token}`,
    p.name,
    p.encoding ?? '-',
    p.width && p.height ? `${p.width}x${p.height}` : '-',
    p.fps !== undefined ? String(p.fps) : '-',
    p.streamUri ?? (p.problems[0] ? `(${p.problems[0]})` : '-'),
    p.snapshotUri ?? '-',
  ]);
  const body = table(['  TOKEN', 'NAME', 'CODEC', 'SIZE', 'FPS', 'STREAM (RTSP over TCP)', 'SNAPSHOT'], rows)
    .split('\n')
    .filter(Boolean)
    .map((l) => `  ${l}`);
  lines.push(...body);
  lines.push(report.chosen ? `analyse   ${report.chosen.profile.token}: ${report.chosen.reason}` : 'analyse   no usable profile');
  for (const note of report.notes) lines.push(`note      ${note}`);
  return `${lines.join('\n')}\n`;
}

export function registerProbeCommand(program: Command): void {
  program
    .command('probe')
    .argument('<url>', 'device service URL (http://HOST/onvif/device_service) or just the camera address')
    .description('onboard one ONVIF device: clock, services, identity, authentication, media profiles with stream and snapshot URIs, and the profile Vigie would analyse')
    .option('-c, --config <file>', 'configuration file (discovery.credentials are tried when no --user is given; the model sets the input size)')
    .option('--user <name>', 'user name on the camera')
    .option('--password <password>', 'password (or set VIGIE_CAMERA_PASSWORD, which stays out of the process list)')
    .option('--profile <token>', 'the profile to analyse instead of the automatic choice')
    .option('--timeout <seconds>', 'deadline of each ONVIF call', '10')
    .option('--json', 'one JSON object instead of text')
    .addHelpText('after', '\nExamples:\n  vigie probe 192.0.2.10 --user onvif --password secret\n  VIGIE_CAMERA_PASSWORD=secret vigie probe http://192.0.2.10/onvif/device_service --user onvif --json')
    .action(async (target: string, o: ProbeOptions) => {
      const { config, logger } = await commandContext(o.config);
      const url = parseDeviceUrl(target);
      const timeout = Number(o.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 300) throw new UsageError(`--timeout must be a number of seconds from 0 to 300, not "${o.timeout}"`);
      const password = o.password ?? process.env.VIGIE_CAMERA_PASSWORD;
      if (o.password !== undefined && o.user === undefined) throw new UsageError('--password needs --user');
      const candidates: (OnvifCredentials | undefined)[] = o.user !== undefined ? [{ username: o.user, password: password ?? '' }] : config.discovery.credentials.length ? config.discovery.credentials : [undefined];
      const vendors = loadVendorProfiles();
      const modelInput = await modelInputSize(config, logger);
      let report: OnboardingReport | undefined;
      for (const [i, credentials] of candidates.entries()) {
        try {
          report = await onboardDevice({ url, credentials, logger: logger.child({ component: 'onvif' }), timeoutMs: timeout * 1000, modelInput, profile: o.profile, vendors });
          break;
        } catch (error) {
          if (!(error instanceof OnvifAuthError) || i === candidates.length - 1) throw error;
          process.stderr.write(`credentials ${i + 1} of ${candidates.length} refused, trying the next\n`);
        }
      }
      if (!report) return;
      process.stdout.write(o.json ? `${JSON.stringify(reportJson(report))}\n` : reportText(report));
      if (report.problem) throw report.problem;
    });
}
