import { SoapFaultError } from '../errors/index.js';
import { NS, ter, xmlNamespace, type SoapOperation, type SoapRequestContext, type XmlContent } from '../soap/index.js';
import { advertisedHost, cameraScopes, ONVIF_VERSION, serviceUrl, type CameraModel } from './camera-model.js';
import { mediaServiceCapabilities } from './media-service.js';
import { media2ServiceCapabilities } from './media2-service.js';
import { tt } from './onvif-types.js';

const tds = xmlNamespace('tds', NS.tds);

function dateTime(ms: number): XmlContent {
  const d = new Date(ms);
  return [
    tt('Time', [tt('Hour', d.getUTCHours()), tt('Minute', d.getUTCMinutes()), tt('Second', d.getUTCSeconds())]),
    tt('Date', [tt('Year', d.getUTCFullYear()), tt('Month', d.getUTCMonth() + 1), tt('Day', d.getUTCDate())]),
  ];
}

function version(): XmlContent {
  return [tt('Major', ONVIF_VERSION.major), tt('Minor', ONVIF_VERSION.minor)];
}

/** tds:Capabilities of the device service (GetServiceCapabilities, GetServices with capabilities). */
export function deviceServiceCapabilities(model: CameraModel): XmlContent {
  const auth = model.options.auth;
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
      UsernameToken: auth !== 'digest',
      HttpDigest: auth !== 'wsse',
      RELToken: false,
      MaxUsers: 1,
      HashingAlgorithms: model.options.digestAlgorithms.join(' '),
    }),
    tds('System', {
      DiscoveryResolve: false,
      DiscoveryBye: model.options.discovery,
      RemoteDiscovery: false,
      SystemBackup: false,
      SystemLogging: false,
      HttpFirmwareUpgrade: false,
      DiscoveryNotSupported: !model.options.discovery,
      NetworkConfigNotSupported: true,
      UserConfigNotSupported: true,
    }),
  ];
}

function prefixLength(address: string): number {
  return address.startsWith('127.') ? 8 : 24;
}

/** Device management operations (ver10/device/wsdl) of a simulated camera. */
export function deviceOperations(model: CameraModel): SoapOperation[] {
  const host = (ctx: SoapRequestContext) => advertisedHost(model, ctx.localAddress);
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.tds, local, access, handle });
  return [
    op('GetSystemDateAndTime', 'PRE_AUTH', () => {
      const now = model.now();
      return tds('GetSystemDateAndTimeResponse', [
        tds('SystemDateAndTime', [
          tt('DateTimeType', model.options.clockOffsetSeconds === 0 ? 'NTP' : 'Manual'),
          tt('DaylightSavings', false),
          tt('TimeZone', tt('TZ', 'UTC0')),
          tt('UTCDateTime', dateTime(now)),
          tt('LocalDateTime', dateTime(now)),
        ]),
      ]);
    }),
    op('GetServices', 'PRE_AUTH', (ctx) => {
      const withCapabilities = (ctx.operation.childText(NS.tds, 'IncludeCapability') ?? 'false') === 'true';
      const h = host(ctx);
      const trt = xmlNamespace('trt', NS.trt);
      const tr2 = xmlNamespace('tr2', NS.tr2);
      const service = (namespace: string, xaddr: string, capabilities: XmlContent) =>
        tds('Service', [
          tds('Namespace', namespace),
          tds('XAddr', xaddr),
          withCapabilities ? tds('Capabilities', capabilities) : null,
          tds('Version', version()),
        ]);
      return tds('GetServicesResponse', [
        service(NS.tds, serviceUrl(model, h, 'device'), tds('Capabilities', deviceServiceCapabilities(model))),
        service(NS.trt, serviceUrl(model, h, 'media'), trt('Capabilities', ...mediaServiceCapabilities(model))),
        service(NS.tr2, serviceUrl(model, h, 'media2'), tr2('Capabilities', ...media2ServiceCapabilities(model))),
      ]);
    }),
    op('GetServiceCapabilities', 'PRE_AUTH', () => tds('GetServiceCapabilitiesResponse', tds('Capabilities', deviceServiceCapabilities(model)))),
    op('GetCapabilities', 'PRE_AUTH', (ctx) => {
      const categories = ctx.operation.childrenNamed(NS.tds, 'Category').map((c) => c.text.trim());
      const wanted = new Set(categories.length === 0 || categories.includes('All') ? ['Device', 'Media'] : categories);
      if (!wanted.has('Device') && !wanted.has('Media')) {
        throw new SoapFaultError({ code: 'Receiver', subcodes: [ter('ActionNotSupported'), ter('NoSuchService')], reason: `this camera has no ${categories.join(', ')} service` });
      }
      const h = host(ctx);
      return tds(
        'GetCapabilitiesResponse',
        tds('Capabilities', [
          wanted.has('Device')
            ? tt('Device', [
                tt('XAddr', serviceUrl(model, h, 'device')),
                tt('Network', [tt('IPFilter', false), tt('ZeroConfiguration', false), tt('IPVersion6', false), tt('DynDNS', false)]),
                tt('System', [
                  tt('DiscoveryResolve', false),
                  tt('DiscoveryBye', model.options.discovery),
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
          wanted.has('Media')
            ? tt('Media', [tt('XAddr', serviceUrl(model, h, 'media')), tt('StreamingCapabilities', [tt('RTPMulticast', false), tt('RTP_TCP', true), tt('RTP_RTSP_TCP', true)])])
            : null,
        ]),
      );
    }),
    op('GetDeviceInformation', 'READ_SYSTEM', () =>
      tds('GetDeviceInformationResponse', [
        tds('Manufacturer', 'Vigie'),
        tds('Model', 'Simulated camera'),
        tds('FirmwareVersion', '1.0.0'),
        tds('SerialNumber', model.identity.serialNumber),
        tds('HardwareId', model.identity.hardwareId),
      ]),
    ),
    op('GetScopes', 'READ_SYSTEM', () =>
      tds(
        'GetScopesResponse',
        cameraScopes(model).map((scope) => tds('Scopes', [tt('ScopeDef', 'Fixed'), tt('ScopeItem', scope)])),
      ),
    ),
    op('GetNetworkInterfaces', 'READ_SYSTEM', (ctx) => {
      const address = host(ctx);
      const ipv4 = /^\d+\.\d+\.\d+\.\d+$/.test(address);
      return tds(
        'GetNetworkInterfacesResponse',
        tds('NetworkInterfaces', { token: 'eth0' }, [
          tt('Enabled', true),
          tt('Info', [tt('Name', 'eth0'), tt('HwAddress', model.identity.macAddress), tt('MTU', 1500)]),
          ipv4 ? tt('IPv4', [tt('Enabled', true), tt('Config', [tt('Manual', [tt('Address', address), tt('PrefixLength', prefixLength(address))]), tt('DHCP', false)])]) : null,
        ]),
      );
    }),
    op('GetNetworkDefaultGateway', 'READ_SYSTEM', () => tds('GetNetworkDefaultGatewayResponse', tds('NetworkGateway'))),
    op('GetDNS', 'READ_SYSTEM', () => tds('GetDNSResponse', tds('DNSInformation', tt('FromDHCP', false)))),
    op('GetNTP', 'READ_SYSTEM', () => tds('GetNTPResponse', tds('NTPInformation', tt('FromDHCP', false)))),
    op('GetHostname', 'PRE_AUTH', () => tds('GetHostnameResponse', tds('HostnameInformation', [tt('FromDHCP', false), tt('Name', model.identity.hostname)]))),
  ];
}
