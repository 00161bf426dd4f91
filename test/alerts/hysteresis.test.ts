import { describe, expect, it } from 'vitest';
import {
  emptyRuns,
  step,
  type Hysteresis,
  type Level,
  type MachineState,
} from '../../electron/main/alerts/hysteresis';

/** Runs a sequence of observed levels (one per second) and returns the state after each. */
function run(levels: Level[], h: Hysteresis, start: MachineState = 'unknown'): MachineState[] {
  let state = start;
  let runs = emptyRuns();
  return levels.map((level, i) => {
    const next = step(state, runs, level, i * 1000, h);
    state = next.state;
    runs = next.runs;
    return state;
  });
}

const U = 'unknown';
const O = 'ok';
const W = 'warn';
const C = 'crit';

const updown: Hysteresis = { fireSamples: 2, fireMs: 0, recoverSamples: 2 };

describe('hysteresis state machine', () => {
  it.each<[string, Level[], Hysteresis, MachineState[], MachineState?]>([
    ['first good sample gives a verdict', [0, 0], updown, [O, O]],
    ['one failure is not an outage', [0, 2, 0, 0], updown, [O, O, O, O]],
    ['two failures in a row are', [0, 2, 2, 2], updown, [O, O, C, C]],
    ['failures from the start stay unknown until they fire', [2, 2], updown, [U, C]],
    ['one good sample does not end an outage', [2, 2, 0, 2, 0, 0], updown, [U, C, C, C, C, O]],
    ['alternating never fires with N=2', [0, 2, 0, 2, 0, 2], updown, [O, O, O, O, O, O]],
    [
      'N=1 follows every sample',
      [0, 2, 0, 2],
      { fireSamples: 1, fireMs: 0, recoverSamples: 1 },
      [O, C, O, C],
    ],
    [
      'warn then crit escalates once each level has held',
      [1, 1, 2, 2, 2],
      { fireSamples: 2, fireMs: 0, recoverSamples: 2 },
      [U, W, W, C, C],
    ],
    [
      'a mixed warn/crit run fires warn',
      [1, 2, 1, 2],
      { fireSamples: 2, fireMs: 0, recoverSamples: 1 },
      [U, W, W, W],
    ],
    [
      'crit recovers to warn, then to ok',
      [1, 1, 0, 0],
      { fireSamples: 2, fireMs: 0, recoverSamples: 2 },
      [C, W, W, O],
      C,
    ],
    [
      'crit straight to ok when ok samples suffice',
      [0, 0],
      { fireSamples: 2, fireMs: 0, recoverSamples: 2 },
      [C, O],
      C,
    ],
    [
      'a duration: 1 sample, but for 3 s',
      [1, 1, 1, 1, 0],
      { fireSamples: 1, fireMs: 3000, recoverSamples: 1 },
      [O, O, O, W, O],
      O,
    ],
    [
      'a duration restarts after a good sample',
      [1, 1, 0, 1, 1, 1, 1],
      { fireSamples: 1, fireMs: 3000, recoverSamples: 1 },
      [O, O, O, O, O, O, W],
      O,
    ],
    [
      'recovery count is separate from the firing count',
      [2, 0, 0, 0],
      { fireSamples: 1, fireMs: 0, recoverSamples: 3 },
      [C, C, C, O],
      O,
    ],
  ])('%s', (_name, levels, h, expected, start) => {
    expect(run(levels, h, start)).toEqual(expected);
  });
});
