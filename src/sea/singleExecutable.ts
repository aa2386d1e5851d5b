// What warroom knows when it runs as its single executable (`npm run package`): the files it carries
// inside itself and how it starts itself in another role. src/sea/main.ts sets it once at start-up;
// it stays undefined when `node` runs warroom from its package folder (npm install, tests).

export interface SingleExecutable {
  /** An embedded file of the package by its path there (`themes/dark.yaml`), or undefined. */
  readText(path: string): string | undefined;
  /** The embedded paths under a folder of the package (`themes`). */
  list(dir: string): string[];
  /** The arguments that make this executable run the demo platform instead of the console. */
  demoPlatformArgs: string[];
}

let current: SingleExecutable | undefined;

export function singleExecutable(): SingleExecutable | undefined {
  return current;
}

export function runAsSingleExecutable(self: SingleExecutable): void {
  current = self;
}
