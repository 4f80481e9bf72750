//! The schema the crate's unit tests share: a resource shaped like a bare-metal host. A
//! required `name` whose change replaces it, `online` defaulting to true, a computed `id`, a
//! required `bmc` object (required `address`, write-only `password_wo`, `insecure` defaulting
//! to false) and an optional `image` object whose `url` is required.

use super::model::{Attribute, Block, ObjectNesting, Schema};

pub fn host() -> Schema {
    let bmc = vec![
        Attribute::string("address", "address").required(),
        Attribute::string("password_wo", "password")
            .optional()
            .sensitive()
            .write_only(),
        Attribute::bool("insecure", "skip TLS checks").default(false),
    ];
    let image = vec![Attribute::string("url", "url").required()];
    Schema::new(
        0,
        Block::new("a host").with_attributes(vec![
            Attribute::string("name", "name")
                .required()
                .requires_replace(),
            Attribute::bool("online", "power").default(true),
            Attribute::string("id", "id").computed(),
            Attribute::nested("bmc", ObjectNesting::Single, bmc, "bmc").required(),
            Attribute::nested("image", ObjectNesting::Single, image, "image").optional(),
        ]),
    )
}
