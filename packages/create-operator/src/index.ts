export type { CommandOutput } from './command.js';
export { runCommand } from './command.js';
export type { ProjectNames } from './names.js';
export { InvalidNameError, pluralize, resolveNames } from './names.js';
export type { ScaffoldOptions } from './scaffold.js';
export { DirectoryNotEmptyError, scaffold } from './scaffold.js';
export type { KubeTsSource, TemplateFile } from './templates.js';
export { projectFiles } from './templates.js';
