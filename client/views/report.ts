import { element } from '../dom';
import type { RenderView } from '../view';

export const renderReport: RenderView = (container) => {
  container.replaceChildren(element('p', { class: 'state' }, '…'));
};
