// yoga-layout for the single executable's CommonJS bundle. yoga-layout's entry waits for its WebAssembly
// at the top level (`await loadYoga()`), which CommonJS cannot express; scripts/sea/bundle.mjs points
// Ink's `import Yoga from 'yoga-layout'` here instead, and src/sea/main.ts awaits initYoga() before it
// loads the console. Ink reads Yoga only once it renders, so the proxy is always filled by then.
import { loadYoga, type Yoga } from 'yoga-layout/load';

let loaded: Yoga | undefined;

export async function initYoga(): Promise<void> {
  loaded ??= await loadYoga();
}

const yoga = new Proxy({} as Yoga, {
  get(_target, key) {
    if (!loaded) throw new Error('yoga-layout used before initYoga()');
    return Reflect.get(loaded, key);
  },
});

export default yoga;
export * from 'yoga-layout/load';
