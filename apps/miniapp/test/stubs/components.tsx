// Plain stand-ins for Taro's components, enough to import a page or component in a test.
import type { PropsWithChildren } from 'react';

type Props = PropsWithChildren<Record<string, unknown>>;

const make = (tag: string) =>
  function TaroComponent({ children }: Props) {
    return <div data-taro={tag}>{children}</div>;
  };

export const View = make('view');
export const Text = make('text');
export const Button = make('button');
export const Input = make('input');
