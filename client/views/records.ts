import { element } from '../dom';
import type { RenderView } from '../view';

export const renderRecords: RenderView = (container) => {
  container.replaceChildren(element('p', { class: 'state' }, '…'));
};
