import { hostname } from 'node:os';
import { NS, type SoapOperation, type XmlContent } from '../soap/index.js';
import { analyticsCapabilities } from './analytics-service.js';
import { requestHost, serviceUrl, type DeviceContext } from './device-context.js';
import { eventCapabilities } from './event-service.js';
import { media2Capabilities } from './media2-service.js';
import { mediaCapabilities } from './media-service.js';
import { tan, tds, tev, tr2, trt, tt } from './namespaces.js';

export const ONVIF_VERSION = { major: 24, minor: 12 } as const;

function version(): XmlContent {
  return [tt('Major', ONVIF_VERSION.major), tt('Minor', ONVIF_VERSION.minor)];
}

function dateTime(ms: number): XmlContent {
  const d = new Date(ms);
  return [
    tt('Time', [tt('Hour', d.getUTCHours()), tt('Minute', d.getUTCMinutes()), tt('Second', d.getUTCSeconds())]),
    tt('Date', [tt('Year', d.getUTCFullYear()), tt('Month', d.getUTCMonth() + 1), tt('Day', d.getUTCDate())]),
  ];
}

/** The scopes of GetScopes and WS-Discovery: Profile M and Streaming, name, hardware, location. */
export function deviceScopes(device: DeviceContext): string[] {
  const base = 'onvif://www.onvif.org';
  const id = device.config.identity;
  return [
    `${base}/Profile/M`,
    `${base}/Profile/Streaming`,
    `${base}/type/video_analytics`,
    `${base}/type/Network_Video_Transmitter`,
    `${base}/hardware/${encodeURIComponent(id.model)}`,
    `${base}/name/${encodeURIComponent(id.name)}`,
    id.location ? `${base}/location/${encodeURIComponent(id.location)}` : null,
  ].filter((s): s is string => s !== null);
}

function deviceCapabilities(device: DeviceContext): XmlContent {
  return [
    tds('Network', { IPFilter: false, ZeroConfiguration: false, IPVersion6: false, DynDNS: false, Dot11Configuration: false, HostnameFromDHCP: false, NTP: 0 }),
    tds('Security', {
      'TLS1.0': false,
      'TLS1.1': false,
      'TLS1.2': false,
      OnboardKeyGeneration: false,
      AccessPolicyConfig: false,
      DefaultAccessPolicy: false,
      Dot1X: false,
      RemoteUserHandling: false,
      'X.509Token': false,
      SAMLToken: false,
      KerberosToken: false,
      UsernameToken: true,
      HttpDigest: true,
      RELToken: false,
      MaxUsers: Math.max(1, device.users.length),
      HashingAlgorithms: 'MD5 SHA-256',
    }),
    tds('System', {
      DiscoveryResolve: false,
      DiscoveryBye: device.config.announce,
      RemoteDiscovery: false,
      SystemBackup: false,
      SystemLogging: false,
      HttpFirmwareUpgrade: false,
      DiscoveryNotSupported: !device.config.announce,
      NetworkConfigNotSupported: true,
      UserConfigNotSupported: true,
    }),
  ];
}

/** Device management operations (ver10/device/wsdl) of Vigie. */
export function deviceOperations(device: DeviceContext): SoapOperation[] {
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.tds, local, access, handle });
  const identity = device.config.identity;
  return [
    op('GetSystemDateAndTime', 'PRE_AUTH', () => {
      const now = device.now();
      return tds(
        'GetSystemDateAndTimeResponse',
        tds('SystemDateAndTime', [tt('DateTimeType', 'NTP'), tt('DaylightSavings', false), tt('TimeZone', tt('TZ', 'UTC0')), tt('UTCDateTime', dateTime(now)), tt('LocalDateTime', dateTime(now))]),
      );
    }),
    op('GetServices', 'PRE_AUTH', (ctx) => {
      const withCapabilities = (ctx.operation.childText(NS.tds, 'IncludeCapability') ?? 'false') === 'true';
      const service = (namespace: string, url: string, capabilities: () => XmlContent) =>
        tds('Service', [tds('Namespace', namespace), tds('XAddr', url), withCapabilities ? tds('Capabilities', capabilities()) : null, tds('Version', version())]);
      return tds('GetServicesResponse', [
        service(NS.tds, serviceUrl(device, ctx, 'device'), () => tds('Capabilities', deviceCapabilities(device))),
        service(NS.trt, serviceUrl(device, ctx, 'media'), () => trt('Capabilities', ...mediaCapabilities(device))),
        service(NS.tr2, serviceUrl(device, ctx, 'media2'), () => tr2('Capabilities', ...media2Capabilities(device))),
        service(NS.tev, serviceUrl(device, ctx, 'events'), () => tev('Capabilities', eventCapabilities(device))),
        service(NS.tan, serviceUrl(device, ctx, 'analytics'), () => tan('Capabilities', analyticsCapabilities())),
      ]);
    }),
    op('GetServiceCapabilities', 'PRE_AUTH', () => tds('GetServiceCapabilitiesResponse', tds('Capabilities', deviceCapabilities(device)))),
    op('GetCapabilities', 'PRE_AUTH', (ctx) => {
      const categories = ctx.operation.childrenNamed(NS.tds, 'Category').map((c) => c.text.trim());
      const all = categories.length === 0 || categories.includes('All');
      const want = (c: string) => all || categories.includes(c);
      return tds(
        'GetCapabilitiesResponse',
        tds('Capabilities', [
          want('Analytics') ? tt('Analytics', [tt('XAddr', serviceUrl(device, ctx, 'analytics')), tt('RuleSupport', true), tt('AnalyticsModuleSupport', true)]) : null,
          want('Device')
            ? tt('Device', [
                tt('XAddr', serviceUrl(device, ctx, 'device')),
                tt('Network', [tt('IPFilter', false), tt('ZeroConfiguration', false), tt('IPVersion6', false), tt('DynDNS', false)]),
                tt('System', [
                  tt('DiscoveryResolve', false),
                  tt('DiscoveryBye', device.config.announce),
                  tt('RemoteDiscovery', false),
                  tt('SystemBackup', false),
                  tt('SystemLogging', false),
                  tt('FirmwareUpgrade', false),
                  tt('SupportedVersions', version()),
                ]),
                tt('Security', [
                  tt('TLS1.1', false),
                  tt('TLS1.2', false),
                  tt('OnboardKeyGeneration', false),
                  tt('AccessPolicyConfig', false),
                  tt('X.509Token', false),
                  tt('SAMLToken', false),
                  tt('KerberosToken', false),
                  tt('RELToken', false),
                ]),
              ])
            : null,
          want('Events') ? tt('Events', [tt('XAddr', serviceUrl(device, ctx, 'events')), tt('WSSubscriptionPolicySupport', false), tt('WSPullPointSupport', true), tt('WSPausableSubscriptionManagerInterfaceSupport', false)]) : null,
          want('Media')
            ? tt('Media', [tt('XAddr', serviceUrl(device, ctx, 'media')), tt('StreamingCapabilities', [tt('RTPMulticast', false), tt('RTP_TCP', true), tt('RTP_RTSP_TCP', true)])])
            : null,
        ]),
      );
    }),
    op('GetDeviceInformation', 'READ_SYSTEM', () =>
      tds('GetDeviceInformationResponse', [
        tds('Manufacturer', identity.manufacturer),
        tds('Model', identity.model),
        tds('FirmwareVersion', device.identity.firmwareVersion),
        tds('SerialNumber', device.identity.serialNumber),
        tds('HardwareId', device.identity.hardwareId),
      ]),
    ),
    op('GetScopes', 'READ_SYSTEM', () => tds('GetScopesResponse', deviceScopes(device).map((scope) => tds('Scopes', [tt('ScopeDef', 'Fixed'), tt('ScopeItem', scope)])))),
    op('GetDiscoveryMode', 'READ_SYSTEM', () => tds('GetDiscoveryModeResponse', tds('DiscoveryMode', device.config.announce ? 'Discoverable' : 'NonDiscoverable'))),
    op('GetNetworkInterfaces', 'READ_SYSTEM', (ctx) => {
      const address = requestHost(device, { ...ctx, localAddress: ctx.localAddress }).replace(/^\[|\]$/g, '');
      const ipv4 = /^\d+\.\d+\.\d+\.\d+$/.test(address);
      return tds(
        'GetNetworkInterfacesResponse',
        tds('NetworkInterfaces', { token: 'eth0' }, [
          tt('Enabled', true),
          tt('Info', [tt('Name', 'eth0'), tt('HwAddress', device.identity.macAddress), tt('MTU', 1500)]),
          ipv4 ? tt('IPv4', [tt('Enabled', true), tt('Config', [tt('Manual', [tt('Address', address), tt('PrefixLength', address.startsWith('127.') ? 8 : 24)]), tt('DHCP', false)])]) : null,
        ]),
      );
    }),
    op('GetHostname', 'PRE_AUTH', () => tds('GetHostnameResponse', tds('HostnameInformation', [tt('FromDHCP', false), tt('Name', device.identity.hostname)]))),
    op('GetNetworkDefaultGateway', 'READ_SYSTEM', () => tds('GetNetworkDefaultGatewayResponse', tds('NetworkGateway'))),
    op('GetDNS', 'READ_SYSTEM', () => tds('GetDNSResponse', tds('DNSInformation', tt('FromDHCP', false)))),
    op('GetNTP', 'READ_SYSTEM', () => tds('GetNTPResponse', tds('NTPInformation', tt('FromDHCP', false)))),
    op('GetUsers', 'READ_SYSTEM_SECRET', () =>
      tds(
        'GetUsersResponse',
        device.users.map((u) => tds('User', [tt('Username', u.username), tt('UserLevel', u.role === 'administrator' ? 'Administrator' : 'Operator')])),
      ),
    ),
    op('SystemReboot', 'UNRECOVERABLE', () => {
      setImmediate(() => device.reboot());
      return tds('SystemRebootResponse', tds('Message', 'Vigie restarts its ONVIF services: event subscriptions end and discovery announces the device again'));
    }),
  ];
}

/** The machine's host name, for GetHostname. */
export function localHostname(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 63) || 'vigie';
}
