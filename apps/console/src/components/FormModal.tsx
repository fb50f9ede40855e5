import { useLayoutEffect, useState, type ReactNode } from 'react';
import { Alert, Form, Modal, type FormInstance } from 'antd';
import { applyFieldErrors } from './fieldErrors';

/** The alert's words for a failed submit: the API's own Chinese message, or `fallback`. */
const messageOf = (err: unknown, fallback: string): string => (err instanceof Error && err.message ? err.message : fallback);

interface FormModalProps<V> {
  open: boolean;
  title: ReactNode;
  okText: string;
  /** The caller's `Form.useForm()` (so it may watch fields); reset each time the modal opens. */
  form: FormInstance<V>;
  /** The form's field names: the API's messages for them go beside the fields. */
  fields: readonly string[];
  /** Sends the values; a throw is the API's refusal, shown beside the fields it names and in the alert. */
  onSubmit: (values: V) => Promise<void>;
  onCancel: () => void;
  /** What the form starts from each time it opens (after the reset); `resetKey` changing also starts it afresh. */
  initialValues?: () => Partial<V>;
  resetKey?: unknown;
  /** The alert's text for a failure, given the messages for fields the form does not have; default: the error's own message, else `fallback`. */
  failure?: (err: unknown, rest: string[]) => string | null;
  /** After the messages are placed, for fields the names do not map (e.g. two dates in one picker). */
  onFailed?: (err: unknown) => void;
  fallback: string;
  errorTestId?: string;
  width?: number;
  formClassName?: string;
  /** Shown between the error alert and the form (notes about what saving does). */
  notes?: ReactNode;
  children: ReactNode;
}

/**
 * The console's form in a modal: reset when it opens, one submit at a time (the OK button spins), the API's
 * messages beside the fields they name and the rest in an alert above the form. Every create, edit, reset and
 * decision dialog is one of these, so they behave alike.
 */
export function FormModal<V>({ open, title, okText, form, fields, onSubmit, onCancel, initialValues, resetKey, failure, onFailed, fallback, errorTestId, width, formClassName, notes, children }: FormModalProps<V>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Before the browser paints the opened dialog (a layout effect): with a plain effect, a click in the first frame
  // (a quick user, or a test on a busy machine) could be wiped by the reset that came after it.
  useLayoutEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    const start = initialValues?.();
    if (start) form.setFieldsValue(start as Parameters<typeof form.setFieldsValue>[0]);
    // Started afresh on opening (or for another record), not on every render of the caller.
  }, [open, resetKey, form]);

  async function submit(values: V) {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (err) {
      const rest = applyFieldErrors(form, err, fields);
      onFailed?.(err);
      setError(failure?.(err, rest) ?? messageOf(err, fallback));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open={open} title={title} onCancel={onCancel} onOk={() => form.submit()} okText={okText} cancelText="取消" confirmLoading={busy} width={width} forceRender>
      {error && <Alert className="form-alert" type="error" showIcon message={error} data-testid={errorTestId} />}
      {notes}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} className={formClassName}>
        {children}
      </Form>
    </Modal>
  );
}
