global using Xunit;
[assembly: AssemblyFixture(typeof(Inferd.Zoo.Tests.TrainedZooFixture))]
