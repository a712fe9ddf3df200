// lucide-static ships one ES module per icon, each exporting the icon's SVG markup as a string.
declare module 'lucide-static/dist/esm/icons/*.mjs' {
  const svg: string;
  export default svg;
}
