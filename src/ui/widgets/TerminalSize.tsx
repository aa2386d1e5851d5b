import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

// Terminal size from the output stream's 'resize' events; components never read
// process.stdout themselves (a test may render into another stream).

export interface Size {
  columns: number;
  rows: number;
}

const SizeContext = createContext<Size>({ columns: 80, rows: 24 });

function readSize(stdout: NodeJS.WriteStream): Size {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

export function TerminalSizeProvider({ stdout, children }: { stdout: NodeJS.WriteStream; children: ReactNode }) {
  const [size, setSize] = useState(() => readSize(stdout));
  useEffect(() => {
    const onResize = () => setSize(readSize(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return <SizeContext.Provider value={size}>{children}</SizeContext.Provider>;
}

export const useTerminalSize = () => useContext(SizeContext);
