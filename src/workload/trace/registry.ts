/** The trace formats by name. */
import { alibaba2018 } from './alibaba-2018.js';
import { alibabaGpu2023 } from './alibaba-gpu2023.js';
import { azureVm } from './azure-vm.js';
import type { TraceFormat } from './format.js';
import { genericCsv } from './generic-csv.js';
import { google2011 } from './google-2011.js';
import { google2019 } from './google-2019.js';

const FORMATS: readonly TraceFormat[] = [alibabaGpu2023, alibaba2018, google2011, google2019, azureVm, genericCsv];

export function findTraceFormat(name: string): TraceFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}

export function traceFormatNames(): string[] {
  return FORMATS.map((f) => f.name);
}

export function traceFormats(): readonly TraceFormat[] {
  return FORMATS;
}
