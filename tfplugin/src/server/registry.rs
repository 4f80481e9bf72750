//! The provider's parts, looked up by type name by the protocol service.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::function::FunctionHandler;
use crate::schema::Schema;

use super::handlers::{
    ActionHandler, DataSourceHandler, ListResourceHandler, ProviderHooks, ResourceHandler,
};

pub struct Registry {
    pub provider_schema: Schema,
    pub hooks: Arc<dyn ProviderHooks>,
    resources: BTreeMap<String, Arc<dyn ResourceHandler>>,
    data_sources: BTreeMap<String, Arc<dyn DataSourceHandler>>,
    list_resources: BTreeMap<String, Arc<dyn ListResourceHandler>>,
    actions: BTreeMap<String, Arc<dyn ActionHandler>>,
    functions: BTreeMap<String, Arc<dyn FunctionHandler>>,
}

impl Registry {
    pub fn new(provider_schema: Schema, hooks: Arc<dyn ProviderHooks>) -> Registry {
        Registry {
            provider_schema,
            hooks,
            resources: BTreeMap::new(),
            data_sources: BTreeMap::new(),
            list_resources: BTreeMap::new(),
            actions: BTreeMap::new(),
            functions: BTreeMap::new(),
        }
    }

    pub fn with_resource(mut self, handler: Arc<dyn ResourceHandler>) -> Registry {
        self.resources
            .insert(handler.declaration().type_name().to_string(), handler);
        self
    }

    pub fn with_data_source(mut self, handler: Arc<dyn DataSourceHandler>) -> Registry {
        self.data_sources
            .insert(handler.declaration().type_name().to_string(), handler);
        self
    }

    /// A list resource for the managed resource type of the same name (registered too, with an
    /// identity schema: the server answers with an error otherwise).
    pub fn with_list_resource(mut self, handler: Arc<dyn ListResourceHandler>) -> Registry {
        self.list_resources
            .insert(handler.declaration().type_name().to_string(), handler);
        self
    }

    pub fn with_action(mut self, handler: Arc<dyn ActionHandler>) -> Registry {
        self.actions
            .insert(handler.declaration().type_name().to_string(), handler);
        self
    }

    pub fn with_function(mut self, handler: Arc<dyn FunctionHandler>) -> Registry {
        self.functions
            .insert(handler.declaration().name().to_string(), handler);
        self
    }

    pub fn resource(&self, type_name: &str) -> Option<&Arc<dyn ResourceHandler>> {
        self.resources.get(type_name)
    }

    pub fn data_source(&self, type_name: &str) -> Option<&Arc<dyn DataSourceHandler>> {
        self.data_sources.get(type_name)
    }

    pub fn resources(&self) -> impl Iterator<Item = &Arc<dyn ResourceHandler>> {
        self.resources.values()
    }

    pub fn data_sources(&self) -> impl Iterator<Item = &Arc<dyn DataSourceHandler>> {
        self.data_sources.values()
    }

    pub fn list_resource(&self, type_name: &str) -> Option<&Arc<dyn ListResourceHandler>> {
        self.list_resources.get(type_name)
    }

    pub fn list_resources(&self) -> impl Iterator<Item = &Arc<dyn ListResourceHandler>> {
        self.list_resources.values()
    }

    pub fn action(&self, type_name: &str) -> Option<&Arc<dyn ActionHandler>> {
        self.actions.get(type_name)
    }

    pub fn actions(&self) -> impl Iterator<Item = &Arc<dyn ActionHandler>> {
        self.actions.values()
    }

    pub fn function(&self, name: &str) -> Option<&Arc<dyn FunctionHandler>> {
        self.functions.get(name)
    }

    pub fn functions(&self) -> impl Iterator<Item = &Arc<dyn FunctionHandler>> {
        self.functions.values()
    }
}
