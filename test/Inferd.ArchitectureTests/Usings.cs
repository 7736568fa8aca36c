// The CLI assembly is loaded by name in DependencyRulesTests; this reference keeps it next to the tests.
[assembly: System.Reflection.AssemblyMetadata("ChecksAssembly", "inferd")]
