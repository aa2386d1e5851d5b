// The Prometheus HTTP API's JSON (https://prometheus.io/docs/prometheus/latest/querying/api/),
// as warroom relies on it: an envelope {status, data, errorType, error, warnings, infos};
// query_range gives a matrix of [unixSeconds, "value"] pairs; query a vector, scalar or
// matrix; series a list of label sets. Compatible servers (Thanos, Mimir, VictoriaMetrics)
// answer the same shapes. Anything else is reported, never trusted.

export interface PromEnvelope<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

export type Labels = Record<string, string>;

/** [unix seconds (float), sample value as a string: "1.5", "NaN", "+Inf"] */
export type SamplePair = [number, string];

export interface PromMatrixSample {
  metric: Labels;
  values: SamplePair[];
}

export interface PromVectorSample {
  metric: Labels;
  value: SamplePair;
}

export type PromQueryData =
  | { resultType: 'matrix'; result: PromMatrixSample[] }
  | { resultType: 'vector'; result: PromVectorSample[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

export class PromShapeError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labels(v: unknown, where: string): Labels {
  if (!isRecord(v)) throw new PromShapeError(`${where}: "metric" is not an object`);
  const out: Labels = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw new PromShapeError(`${where}: label ${k} is not a string`);
    out[k] = x;
  }
  return out;
}

function pair(v: unknown, where: string): SamplePair {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'string') {
    throw new PromShapeError(`${where}: sample is not [time, "value"]`);
  }
  return [v[0], v[1]];
}

/** Checks the `data` of /api/v1/query or /api/v1/query_range. */
export function parseQueryData(data: unknown): PromQueryData {
  if (!isRecord(data)) throw new PromShapeError('"data" is not an object');
  const { resultType, result } = data;
  switch (resultType) {
    case 'matrix':
      if (!Array.isArray(result)) throw new PromShapeError('matrix result is not a list');
      return {
        resultType,
        result: result.map((s, i) => {
          if (!isRecord(s)) throw new PromShapeError(`series ${i} is not an object`);
          // Native-histogram-only series carry "histograms" and no "values": no float line to draw.
          const values = s.values === undefined ? [] : s.values;
          if (!Array.isArray(values)) throw new PromShapeError(`series ${i}: "values" is not a list`);
          return { metric: labels(s.metric ?? {}, `series ${i}`), values: values.map((p) => pair(p, `series ${i}`)) };
        }),
      };
    case 'vector':
      if (!Array.isArray(result)) throw new PromShapeError('vector result is not a list');
      return {
        resultType,
        result: result
          .filter((s) => !isRecord(s) || s.value !== undefined)
          .map((s, i) => {
            if (!isRecord(s)) throw new PromShapeError(`sample ${i} is not an object`);
            return { metric: labels(s.metric ?? {}, `sample ${i}`), value: pair(s.value, `sample ${i}`) };
          }),
      };
    case 'scalar':
    case 'string':
      return { resultType, result: pair(result, resultType) };
    default:
      throw new PromShapeError(`unknown resultType ${JSON.stringify(resultType)}`);
  }
}

/** Checks the `data` of /api/v1/series. */
export function parseSeriesData(data: unknown): Labels[] {
  if (!Array.isArray(data)) throw new PromShapeError('series "data" is not a list');
  return data.map((d, i) => labels(d, `series ${i}`));
}
