/** Reading the transcribed upstream plugin vectors under test/fixtures/. */
import { readFileSync } from 'node:fs';
import type { FilterStatus } from '../../src/explain/cases.js';

export interface FilterVector {
  id: string;
  test_name: string;
  expected_filter: Record<string, FilterStatus>;
}

export interface ScoreVector {
  id: string;
  test_name: string;
  /** PreScore returns Skip for the case. */
  expected_skip?: boolean;
  expected_scores?: Record<string, number>;
  expected_normalized: Record<string, number>;
}

/** The `cases` of a vector file. */
export const loadVectors = <T>(url: URL): T[] => (JSON.parse(readFileSync(url, 'utf8')) as { cases: T[] }).cases;
