import { NS, type XmlElement } from '../soap/index.js';

/** Who a device says it is (GetDeviceInformation). */
export interface DeviceIdentity {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

const clip = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 128);

export function readDeviceInformation(response: XmlElement): DeviceIdentity {
  return {
    manufacturer: clip(response.childText(NS.tds, 'Manufacturer')),
    model: clip(response.childText(NS.tds, 'Model')),
    firmwareVersion: clip(response.childText(NS.tds, 'FirmwareVersion')),
    serialNumber: clip(response.childText(NS.tds, 'SerialNumber')),
    hardwareId: clip(response.childText(NS.tds, 'HardwareId')),
  };
}
