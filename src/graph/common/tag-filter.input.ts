import { Field, InputType } from "type-graphql";

@InputType({ description: "Matches items that carry a tag." })
export class TagFilter {
  @Field()
  key!: string;

  @Field(() => String, { nullable: true, description: "The exact value; any value when omitted." })
  value?: string | null;
}

export function matchesTag(tags: { key: string; value: string }[], filter: TagFilter): boolean {
  return tags.some(
    (t) =>
      t.key === filter.key &&
      (filter.value === undefined || filter.value === null || t.value === filter.value),
  );
}
