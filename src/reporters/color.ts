// Whether to colour output is the tool's decision, not chalk's: chalk 5 alone ignores NO_COLOR and
// reads process.argv. Order: the --color/--no-color flag, FORCE_COLOR, NO_COLOR, TERM=dumb, a terminal.
import { Chalk, type ChalkInstance } from "chalk";

export type ColorLevel = 0 | 1 | 2 | 3;

export function decideColorLevel(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, isTerminal: boolean): ColorLevel {
  if (flag !== undefined) return flag ? 1 : 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "" || force === "true") return 1;
    if (force === "false") return 0;
    const level = Number(force);
    if (Number.isInteger(level) && level >= 0 && level <= 3) return level as ColorLevel;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  if (env.TERM === "dumb") return 0;
  return isTerminal ? 1 : 0;
}

export function paint(level: ColorLevel): ChalkInstance {
  return new Chalk({ level });
}
