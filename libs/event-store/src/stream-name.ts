/** `order-123` → `order`. Stream names are `<category>-<id>`; the category is everything before the first dash. */
export function categoryOf(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash <= 0 ? streamName : streamName.slice(0, dash);
}

export function streamName(category: string, id: string): string {
  if (!category || category.includes('-')) {
    throw new Error(`Invalid stream category "${category}": it must be non-empty and contain no dash`);
  }
  if (!id) throw new Error(`Empty id for a ${category} stream`);
  return `${category}-${id}`;
}
