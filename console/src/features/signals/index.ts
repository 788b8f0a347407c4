export { SignalForm } from './signal-form.tsx';
