// Ink imports react-devtools-core only in development; the bundle never connects to devtools.
export default { connectToDevTools() {} };
export function connectToDevTools() {}
